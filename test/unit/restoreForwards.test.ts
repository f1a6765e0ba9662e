import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ProductError } from '../../src/core/errors/productError';
import { restoreForwards } from '../../src/editor/actions/restoreForwards';
import { parseForwardSettings, restoreSpecOf, withRestoredForward } from '../../src/editor/services/forwardSettings';
import { forwardCore, forwardFakes } from '../fakes/fakeForwardCore';
import { fakeServices } from '../fakes/fakeServices';

test('the forward settings: the bind address (127.0.0.1 when unset or blank), entries to restore, and a line for each entry that is not one', () => {
  assert.deepEqual(parseForwardSettings({}), { bindAddress: '127.0.0.1', restore: [], restoreProblems: [], restoreRaw: [] });
  assert.equal(parseForwardSettings({ bindAddress: '  ' }).bindAddress, '127.0.0.1');
  assert.equal(parseForwardSettings({ bindAddress: ' 0.0.0.0 ' }).bindAddress, '0.0.0.0');
  const raw = [
    { instanceId: ' i-0123456789abcdef0 ', region: 'us-east-1', profile: 'dev', forwards: ['18080:localhost:8080', ' ', '15432:db.internal:5432'] },
    { instanceId: 'i-0fedcba9876543210', region: 'eu-west-1', osUser: 'ubuntu', forwards: [] },
    { instanceId: 'web-1', region: 'us-east-1', forwards: ['1:localhost:1'] },
    { instanceId: 'i-0123456789abcdef0', forwards: ['1:localhost:1'] },
    { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', forwards: [8080] },
    'i-0123456789abcdef0',
  ];
  const settings = parseForwardSettings({ restoreForwards: raw });
  assert.deepEqual(settings.restore, [
    { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', profile: 'dev', forwards: ['18080:localhost:8080', '15432:db.internal:5432'] },
    { instanceId: 'i-0fedcba9876543210', region: 'eu-west-1', osUser: 'ubuntu', forwards: [] },
  ]);
  assert.deepEqual(
    settings.restoreProblems.map((p) => p.slice(0, 8)),
    ['Entry 3 ', 'Entry 4 ', 'Entry 5 ', 'Entry 6 '],
  );
  assert.match(settings.restoreProblems[0], /of ec2InstanceConnect\.restoreForwards is not \{ "instanceId": "i-…", "region": "…", "forwards": \["18080:localhost:8080"\] \}\./);
  assert.equal(settings.restoreRaw, raw);
  assert.deepEqual(parseForwardSettings({ restoreForwards: { instanceId: 'x' } }).restoreProblems.length, 1);
});

test('a forward as the setting writes it: the bind address only when it is not the setting, IPv6 in brackets', () => {
  const forward = (host: string, remoteHost = 'localhost') => ({ local: { host, port: 18080 }, remote: { host: remoteHost, port: 8080 } });
  assert.equal(restoreSpecOf(forward('127.0.0.1'), '127.0.0.1'), '18080:localhost:8080');
  assert.equal(restoreSpecOf(forward('127.0.0.1'), '0.0.0.0'), '127.0.0.1:18080:localhost:8080');
  assert.equal(restoreSpecOf(forward('::1', 'fd00::5'), '127.0.0.1'), '[::1]:18080:[fd00::5]:8080');
  const instance = { instanceId: 'i-0123456789abcdef0', region: 'us-east-1' };
  assert.deepEqual(withRestoredForward([], instance, '18080:localhost:8080'), [{ ...instance, forwards: ['18080:localhost:8080'] }]);
  assert.equal(withRestoredForward([{ ...instance, forwards: ['18080:localhost:8080'] }], instance, '18080:localhost:8080'), undefined);
  // Another profile is another entry.
  assert.equal(withRestoredForward([{ ...instance, profile: 'dev', forwards: [] }], instance, '1:localhost:1')?.length, 2);
});

test('restoring: each entry forwards on its instance; whatever failed is one notification, not one per forward', async () => {
  const { services, ui } = fakeServices({
    core: forwardCore(),
    forwardSettings: parseForwardSettings({
      bindAddress: '127.0.0.1',
      restoreForwards: [
        { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', profile: 'dev', osUser: 'ubuntu', forwards: ['18080:localhost:8080', 'nonsense', '0.0.0.0:15432:db.internal:5432'] },
        { instanceId: 'i-0fedcba9876543210', region: 'eu-west-1', forwards: ['3000:localhost:3000', '3001:localhost:3001'] },
        { instanceId: 'bad' },
      ],
    }),
  });
  const { forwards } = forwardFakes(services);
  // The second instance is stopped: its first forward says so, and the next is not tried again.
  const stopped = new ProductError('instanceNotRunning', 'api (i-0fedcba9876543210) in eu-west-1 is stopped. Start it, then connect.', { state: 'stopped' });
  const forwardPort = forwards.forwardPort.bind(forwards);
  forwards.forwardPort = async (request) => {
    forwards.failures = [request.instance.instanceId === 'i-0fedcba9876543210' ? stopped : undefined];
    return forwardPort(request);
  };
  ui.messageAnswers.push('Open Settings');
  const outcome = await restoreForwards(services);

  assert.deepEqual(outcome, { restored: 2, failed: 4 });
  assert.deepEqual(
    forwards.requests.map((r) => `${r.instance.instanceId} ${r.osUser ?? '-'} ${r.spec.bindAddress}:${r.spec.localPort}:${r.spec.remoteHost}:${r.spec.remotePort}`).sort(),
    ['i-0123456789abcdef0 ubuntu 0.0.0.0:15432:db.internal:5432', 'i-0123456789abcdef0 ubuntu 127.0.0.1:18080:localhost:8080', 'i-0fedcba9876543210 - 127.0.0.1:3000:localhost:3000'],
  );
  assert.equal(ui.messages.length, 1);
  assert.equal(ui.messages[0].severity, 'warning');
  assert.match(ui.messages[0].message, /^Could not restore 4 of 6 forwarded ports \(ec2InstanceConnect\.restoreForwards\): Entry 3 of .* \(and 3 more: see the log\)$/);
  assert.deepEqual(ui.messages[0].actions, ['Open Settings', 'Show Log']);
  assert.deepEqual(ui.executed, [{ command: 'workbench.action.openSettings', args: ['ec2InstanceConnect.restoreForwards'] }]);
});

test('nothing to restore: nothing is shown, and the core is not loaded', async () => {
  const { services, ui } = fakeServices({
    core: new Proxy({}, { get: () => assert.fail('the core was loaded') }) as never,
  });
  assert.deepEqual(await restoreForwards(services), { restored: 0, failed: 0 });
  assert.deepEqual(ui.messages, []);
});
