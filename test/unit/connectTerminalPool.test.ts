import assert from 'node:assert/strict';
import { test } from 'node:test';

import { connect } from '../../src/editor/commands/connect';
import { poolLingerSeconds } from '../../src/editor/services/createServices';
import { forwardCore, forwardFakes } from '../fakes/fakeForwardCore';
import { fakeServices } from '../fakes/fakeServices';
import { instance } from '../fakes/sdkInstances';
import { waitFor } from '../fakes/waitFor';

const row = () => ({ kind: 'instance' as const, instance: instance() });

test('two terminals on one instance share one SSH connection; it ends a linger after the last one closes', async (t) => {
  const { services, ui } = fakeServices({ core: forwardCore() });
  const { connector } = forwardFakes(services);
  await connect.run(services, row());
  await connect.run(services, row());
  await waitFor(() => connector.connections[0]?.channels.length === 2, 'two shells');
  assert.equal(connector.connections.length, 1);
  const [connection] = connector.connections;
  const [first, second] = connection.channels;
  assert.match(ui.terminals[0].text, /^Connecting to ec2-user@203\.0\.113\.10 \(i-0123456789abcdef0\)…\r\n/);
  assert.match(ui.terminals[1].text, /^Opening a shell on ec2-user@203\.0\.113\.10 \(i-0123456789abcdef0\), on its open connection…\r\n/);

  second.output('ec2-user$ ');
  await waitFor(() => ui.terminals[1].text.endsWith('ec2-user$ '), 'the second prompt');
  first.exit(0);
  await waitFor(() => ui.terminals[0].closedWith === 0, 'the first terminal to close');
  assert.equal(connection.ended, false, 'the other terminal still uses it');

  // The linger runs on mock timers from here.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  ui.terminals[1].logic.close();
  t.mock.timers.tick((poolLingerSeconds - 1) * 1000);
  assert.equal(connection.ended, false, 'it lingers for the next terminal or forward');
  t.mock.timers.tick(1000);
  assert.equal(connection.ended, true);
});

test('a dropped connection: each terminal says so; Enter opens a fresh one, shared again', async () => {
  const { services, ui } = fakeServices({ core: forwardCore() });
  const { connector } = forwardFakes(services);
  await connect.run(services, row());
  await connect.run(services, row());
  await waitFor(() => connector.connections[0]?.channels.length === 2, 'two shells');
  connector.connections[0].drop();
  await waitFor(() => ui.terminals.every((terminal) => terminal.text.includes('Press Enter to reconnect')), 'both to say it dropped');
  assert.match(ui.terminals[0].text, /The connection to 203\.0\.113\.10 was lost\./);
  ui.terminals[0].logic.input('\r');
  ui.terminals[1].logic.input('\r');
  await waitFor(() => connector.connections[1]?.channels.length === 2, 'both shells again');
  assert.equal(connector.connections.length, 2, 'one new connection for both');
  for (const terminal of ui.terminals) terminal.logic.close();
});
