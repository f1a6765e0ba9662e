import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isProductError } from '../../src/core/errors/productError';
import { copyForwardAddress } from '../../src/editor/commands/copyForwardAddress';
import { openForwardInBrowser } from '../../src/editor/commands/openForwardInBrowser';
import { restoreForwardOnStartup } from '../../src/editor/commands/restoreForwardOnStartup';
import { showForwards } from '../../src/editor/commands/showForwards';
import { stopForward } from '../../src/editor/commands/stopForward';
import { forwardCore, forwardFakes } from '../fakes/fakeForwardCore';
import type { FakeForward } from '../fakes/fakeForwards';
import { fakeServices } from '../fakes/fakeServices';

const web = { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', profile: 'dev', name: 'web-1' };

async function editor(forwardSettings: NonNullable<Parameters<typeof fakeServices>[0]>['forwardSettings'] = {}) {
  const { services, ui } = fakeServices({ core: forwardCore(), forwardSettings });
  const { forwards } = forwardFakes(services);
  const start = async (localPort: number, remoteHost = 'localhost', remotePort = 8080, bindAddress = '127.0.0.1') =>
    (await forwards.forwardPort({ instance: web, spec: { bindAddress, localPort, remoteHost, remotePort } })) as FakeForward;
  return { services, ui, forwards, start };
}

const row = (forward: FakeForward) => ({ kind: 'forward' as const, forward, parentId: 'x' });

test('Open in Browser opens http://localhost:PORT/ through the editor (its port proxy, where there is one); Copy copies localhost:PORT', async () => {
  const { services, ui, start } = await editor();
  const forward = await start(18080);
  await openForwardInBrowser.run(services, row(forward));
  await copyForwardAddress.run(services, row(forward));
  assert.deepEqual(ui.browsed, ['http://localhost:18080/']);
  assert.deepEqual(ui.clipboard, ['localhost:18080']);

  // Listening on one address of this computer only: that address.
  const lan = await start(18081, 'localhost', 8081, '192.168.1.5');
  await openForwardInBrowser.run(services, lan);
  assert.equal(ui.browsed[1], 'http://192.168.1.5:18081/');
});

test('Stop Forward on a row stops it; from the palette it asks which one', async () => {
  const { services, ui, start } = await editor();
  const first = await start(18080);
  const second = await start(15432, 'db.internal', 5432);
  await stopForward.run(services, row(first));
  assert.equal(first.state, 'stopped');
  assert.deepEqual(services.forwardList.list(), [second]);

  ui.pickAnswers.push((labels) => labels[0]);
  await stopForward.run(services);
  assert.deepEqual(ui.picks[0].labels, ['$(plug) localhost:15432 → db.internal:5432']);
  assert.deepEqual(services.forwardList.list(), []);

  await assert.rejects(Promise.resolve(stopForward.run(services)), (err) => isProductError(err, 'badInput') && /No port is forwarded/.test(err.message));
});

test('the status bar click lists the forwards, then runs what is chosen for the one picked', async () => {
  const { services, ui, start } = await editor();
  ui.messageAnswers.push(undefined);
  await showForwards.run(services);
  assert.match(ui.messages[0].message, /^No port is forwarded/);
  assert.deepEqual(ui.messages[0].actions, ['Forward a Port…']);

  const forward = await start(18080);
  let offered: string[] = [];
  ui.pickAnswers.push(
    (labels) => labels[0],
    (labels) => {
      offered = labels;
      return '$(debug-stop) Stop Forward';
    },
  );
  await showForwards.run(services);
  assert.deepEqual(offered, ['$(globe) Open in Browser', '$(copy) Copy Local Address', '$(debug-stop) Stop Forward', '$(history) Restore When the Editor Starts']);
  assert.deepEqual(ui.executed.at(-1), { command: 'ec2InstanceConnect.stopForward', args: [forward] });
});

test('Restore When the Editor Starts adds the forward to the setting, keeping what is there; twice is once', async () => {
  const other = { instanceId: 'i-0fedcba9876543210', region: 'eu-west-1', forwards: ['3000:localhost:3000'] };
  const unreadable = { note: 'kept as it is' };
  const { services, ui, start } = await editor({ restoreRaw: [other, unreadable] });
  const forward = await start(18080);
  await restoreForwardOnStartup.run(services, row(forward));
  const written = ui.settings.get('ec2InstanceConnect.restoreForwards');
  assert.deepEqual(written, [other, unreadable, { instanceId: web.instanceId, region: 'us-east-1', profile: 'dev', forwards: ['18080:localhost:8080'] }]);
  assert.match(ui.messages[0].message, /will be forwarded again each time the editor starts \(ec2InstanceConnect\.restoreForwards: "18080:localhost:8080"\)/);

  const again = await editor({ restoreRaw: written as unknown[] });
  const same = await again.start(18080);
  await restoreForwardOnStartup.run(again.services, row(same));
  assert.equal(again.ui.settings.size, 0);
  assert.match(again.ui.messages[0].message, /is restored when the editor starts already/);
});
