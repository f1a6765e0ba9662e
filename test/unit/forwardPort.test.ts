import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ProductError } from '../../src/core/errors/productError';
import { forwardPort } from '../../src/editor/commands/forwardPort';
import { forwardCore, forwardFakes } from '../fakes/fakeForwardCore';
import { fakeServices } from '../fakes/fakeServices';
import { instance } from '../fakes/sdkInstances';

const id = 'i-0123456789abcdef0';
const row = (overrides: Parameters<typeof instance>[0] = {}) => ({ kind: 'instance' as const, instance: instance(overrides) });

function editor(options: { taken?: number[]; bindAddress?: string } = {}) {
  const { services, ui } = fakeServices({ core: forwardCore(new Set(options.taken)), forwardSettings: options.bindAddress ? { bindAddress: options.bindAddress } : {} });
  return { services, ui, ...forwardFakes(services) };
}

test('Forward a Port… on a row: connects once, offers the listening ports, prefills the same local port, forwards, and says so', async () => {
  const { services, ui, forwards, connector } = editor();
  forwards.ports = [
    { port: 22, addresses: ['0.0.0.0', '::'], process: 'sshd' },
    { port: 8080, addresses: ['127.0.0.1'], process: 'node' },
  ];
  ui.livePickAnswers.push({ choose: (label) => label.endsWith(' 8080') });
  ui.inputAnswers.push('8080');
  await forwardPort.run(services, row());

  assert.deepEqual(ui.progress.map((p) => p.title), ['Connecting to web-1 (i-0123456789abcdef0)…', 'Forwarding localhost:8080 of web-1 (i-0123456789abcdef0)…']);
  const [pick] = ui.livePicks;
  assert.deepEqual(
    pick.items.map((i) => `${i.label} | ${i.description ?? ''} | ${i.detail ?? ''}`),
    ['$(plug) 22 | sshd | Listening on 0.0.0.0:22, [::]:22', '$(plug) 8080 | node · this instance only | Listening on 127.0.0.1:8080'],
  );
  assert.deepEqual(forwards.listed, [{ instanceId: id, osUser: 'ec2-user' }]);
  assert.equal(ui.inputs[0].value, '8080');
  assert.match(ui.inputs[0].prompt ?? '', /listening on 127\.0\.0\.1:8080, this computer only/);
  assert.equal(ui.inputs[0].validate?.('70000'), 'A port is a number from 0 to 65535 (0: any free port).');
  assert.equal(ui.inputs[0].validate?.('0'), undefined);

  assert.equal(forwards.requests.length, 1);
  assert.deepEqual(forwards.requests[0].spec, { bindAddress: '127.0.0.1', localPort: 8080, remoteHost: 'localhost', remotePort: 8080 });
  assert.equal(forwards.requests[0].osUser, 'ec2-user');
  assert.equal(connector.connections.length, 1, 'the listing and the forward share one connection');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(ui.messages, [{ severity: 'info', message: 'Forwarding localhost:8080 → 8080 on web-1 (i-0123456789abcdef0).', actions: ['Open in Browser', 'Copy Local Address'], modal: false }]);
  assert.equal(services.forwardList.list().length, 1);
});

test('typed host:port as the instance reaches it; a local port that is taken is suggested + 10000, and said', async () => {
  const { services, ui, forwards } = editor({ taken: [5432] });
  ui.livePickAnswers.push({ type: 'db.internal:5432' });
  ui.inputAnswers.push('15432');
  await forwardPort.run(services, row());
  assert.equal(ui.livePicks[0].typed?.label, '$(arrow-right) Forward db.internal:5432');
  assert.equal(ui.inputs[0].value, '15432');
  assert.match(ui.inputs[0].prompt ?? '', /^Port 5432 is not free on this computer\./);
  assert.deepEqual(forwards.requests[0].spec, { bindAddress: '127.0.0.1', localPort: 15432, remoteHost: 'db.internal', remotePort: 5432 });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(ui.messages[0].message, 'Forwarding localhost:15432 → db.internal:5432 on web-1 (i-0123456789abcdef0).');
});

test('the bind address setting is where it listens, and the prompt says that other computers can reach it', async () => {
  const { services, ui, forwards } = editor({ bindAddress: '0.0.0.0' });
  ui.livePickAnswers.push({ type: '3000' });
  ui.inputAnswers.push('3000');
  await forwardPort.run(services, row());
  assert.match(ui.inputs[0].prompt ?? '', /0\.0\.0\.0:3000, 0\.0\.0\.0: other computers on your network can reach it/);
  assert.equal(forwards.requests[0].spec.bindAddress, '0.0.0.0');
});

test('text that is no port is explained in the pick and cannot be chosen; dismissing asks nothing more', async () => {
  const { services, ui, forwards } = editor();
  ui.livePickAnswers.push({ type: 'db.internal:99999' });
  await forwardPort.run(services, row());
  const typed = ui.livePicks[0].typed!;
  assert.equal(typed.label, '$(warning) Not a port');
  assert.equal(typed.acceptable, false);
  assert.match(typed.detail ?? '', /is not a port on the instance: the port 99999 is not between 1 and 65535/);
  assert.deepEqual(ui.inputs, []);
  assert.deepEqual(forwards.requests, []);
  assert.deepEqual(ui.messages, []);
});

test('the ports could not be listed: the pick says why, and a typed port still forwards', async () => {
  const { services, ui, forwards } = editor();
  forwards.ports = new ProductError('connectionLost', 'The connection to 203.0.113.10 was lost.');
  ui.livePickAnswers.push({ type: '8080' });
  ui.inputAnswers.push('8080');
  await forwardPort.run(services, row());
  assert.deepEqual(ui.livePicks[0].items.map((i) => [i.label, i.detail]), [['$(warning) Could not list its ports', 'The connection to 203.0.113.10 was lost.']]);
  assert.equal(forwards.requests.length, 1);
});

test("process names are the instance's text: escape sequences and icon syntax are removed or made inert", async () => {
  const { services, ui } = editor();
  const { forwards } = forwardFakes(services);
  forwards.ports = [{ port: 9000, addresses: ['0.0.0.0'], process: 'evil\u001b[2J$(alert)\u202e' }];
  ui.livePickAnswers.push(undefined);
  await forwardPort.run(services, row());
  assert.equal(ui.livePicks[0].items[0].description, 'evil$\u200b(alert)');
});

test('a local port in use: the notification offers Choose Another Port…, which asks only the port and forwards', async () => {
  const { services, ui, forwards } = editor();
  forwards.failures = [new ProductError('portInUse', 'Port 8080 on this computer (127.0.0.1:8080) is in use by another program: choose another local port.')];
  ui.livePickAnswers.push({ type: '8080' });
  ui.inputAnswers.push('8080', '18080');
  ui.messageAnswers.push('Choose Another Port…');
  await forwardPort.run(services, row());
  assert.equal(ui.messages[0].severity, 'error');
  assert.match(ui.messages[0].message, /in use by another program/);
  assert.deepEqual(ui.messages[0].actions, ['Choose Another Port…', 'Show Log']);
  assert.equal(ui.livePicks.length, 1, 'the remote side is not asked again');
  assert.match(ui.inputs[1].prompt ?? '', /^Port 8080 is not free on this computer\./);
  assert.deepEqual(forwards.requests.map((r) => r.spec.localPort), [8080, 18080]);
});

test('AllowTcpForwarding no: an error naming it, with Learn More; a refused remote side starts with a warning', async () => {
  const { services, ui, forwards } = editor();
  forwards.failures = [
    new ProductError('forwardingDisabled', 'web-1 (i-0123456789abcdef0) in us-east-1 does not allow port forwarding to localhost:8080 for "ec2-user" (its sshd refused it: administratively prohibited). Its sshd_config sets AllowTcpForwarding no, DisableForwarding yes, or a PermitOpen that leaves this port out; an administrator can change that.'),
  ];
  ui.livePickAnswers.push({ type: '8080' });
  ui.inputAnswers.push('8080');
  ui.messageAnswers.push(undefined);
  await forwardPort.run(services, row());
  assert.match(ui.messages[0].message, /does not allow port forwarding/);
  assert.deepEqual(ui.messages[0].actions, ['Learn More', 'Show Log']);

  forwards.problem = 'web-1 (i-0123456789abcdef0) in us-east-1 could not connect to localhost:8081 for the forward: nothing listens there, or the instance cannot reach it (Connection refused).';
  ui.livePickAnswers.push({ type: '8081' });
  ui.inputAnswers.push('8081');
  await forwardPort.run(services, row());
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(ui.messages[1].severity, 'warning');
  assert.match(ui.messages[1].message, /^Forwarding localhost:8081 → 8081 on web-1 \(i-0123456789abcdef0\)\. .* nothing listens there/);
});

test('a stopped instance: Start Instance is offered, and nothing is asked or connected', async () => {
  const { services, ui, connector } = editor();
  ui.messageAnswers.push('Start Instance');
  await forwardPort.run(services, row({ State: { Name: 'stopped' } }));
  assert.match(ui.messages[0].message, /is stopped/);
  assert.deepEqual(ui.messages[0].actions, ['Start Instance', 'Show Log']);
  assert.equal(ui.executed[0].command, 'ec2InstanceConnect.startInstance');
  assert.deepEqual(ui.livePicks, []);
  assert.equal(connector.connections.length, 0);
});

test('a connection that fails is reported with Retry, which connects and asks again', async () => {
  const { services, ui, connector, forwards } = editor();
  connector.failures = [new ProductError('unreachable', 'web-1 (i-0123456789abcdef0) in us-east-1 did not answer on 203.0.113.10:22.')];
  ui.messageAnswers.push('Retry');
  ui.livePickAnswers.push({ type: '8080' });
  ui.inputAnswers.push('8080');
  await forwardPort.run(services, row());
  assert.match(ui.messages[0].message, /did not answer/);
  assert.equal(connector.connections.length, 1);
  assert.equal(forwards.requests.length, 1);
});

test('the "Forwarded ports" row stands for its instance', async () => {
  const { services, ui, forwards } = editor();
  ui.livePickAnswers.push({ type: '8080' });
  ui.inputAnswers.push('8080');
  await forwardPort.run(services, { kind: 'forwards', instance: row().instance, forwards: [] });
  assert.equal(forwards.requests[0].instance.instanceId, id);
});
