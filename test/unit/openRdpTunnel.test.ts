import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ProductError } from '../../src/core/errors/productError';
import { openRdpTunnel } from '../../src/editor/commands/openRdpTunnel';
import { forwardCore, forwardFakes } from '../fakes/fakeForwardCore';
import { fakeServices } from '../fakes/fakeServices';
import { instance } from '../fakes/sdkInstances';

const windows = (overrides: Parameters<typeof instance>[0] = {}) => ({
  kind: 'instance' as const,
  instance: instance({ Platform: 'Windows', PlatformDetails: 'Windows', Tags: [{ Key: 'Name', Value: 'rdp-windows' }], VpcId: 'vpc-1', SubnetId: 'subnet-1', ...overrides }),
});
const endpoint = { id: 'eice-0123456789abcdef0', dnsName: 'eice.example', vpcId: 'vpc-1', subnetId: 'subnet-1', state: 'create-complete', region: 'us-east-1' };

function editor(taken: number[] = []) {
  const { services, ui } = fakeServices({ core: forwardCore(new Set(taken)) });
  return { services, ui, ...forwardFakes(services) };
}

test('a Windows instance with a public address: the address to paste, with Copy, and no tunnel', async () => {
  const { services, ui, forwards } = editor();
  ui.messageAnswers.push('Copy Address');
  await openRdpTunnel.run(services, windows());
  assert.equal(
    ui.messages[0].message,
    'rdp-windows (i-0123456789abcdef0) has a public address: point your Remote Desktop client at 203.0.113.10:3389. Its security group must allow TCP port 3389 from this computer.',
  );
  assert.deepEqual(ui.messages[0].actions, ['Copy Address']);
  assert.deepEqual(ui.clipboard, ['203.0.113.10:3389']);
  assert.deepEqual(forwards.tunnelRequests, []);
});

test('a public Windows instance whose VPC has an endpoint: Tunnel Through Endpoint opens the tunnel instead', async () => {
  const { services, ui, forwards, connector } = editor();
  connector.endpoint = endpoint;
  ui.messageAnswers.push('Tunnel Through Endpoint', 'Copy Address');
  await openRdpTunnel.run(services, windows());
  assert.deepEqual(ui.messages[0].actions, ['Copy Address', 'Tunnel Through Endpoint']);
  assert.equal(forwards.tunnelRequests.length, 1);
  assert.deepEqual(forwards.tunnelRequests[0].local, { host: '127.0.0.1', port: 3389 });
});

test('a private Windows instance: an endpoint tunnel to 3389, then the local address to paste, with Copy', async () => {
  const { services, ui, forwards } = editor();
  ui.messageAnswers.push('Copy Address');
  const row = windows({ PublicIpAddress: undefined });
  await openRdpTunnel.run(services, row);
  assert.equal(forwards.tunnelRequests.length, 1);
  assert.equal(forwards.tunnelRequests[0].remotePort, 3389);
  assert.equal(forwards.tunnelRequests[0].instance, row.instance);
  assert.deepEqual(forwards.tunnelRequests[0].local, { host: '127.0.0.1', port: 3389 });
  assert.deepEqual(ui.progress.map((p) => p.title), ['Opening an RDP tunnel to rdp-windows (i-0123456789abcdef0)…']);
  await new Promise((resolve) => setImmediate(resolve));
  assert.match(ui.messages[0].message, /^RDP tunnel to rdp-windows \(i-0123456789abcdef0\) open: point your Remote Desktop client at localhost:3389\. .*eice-0123456789abcdef0/);
  assert.deepEqual(ui.clipboard, ['localhost:3389']);
  assert.equal(services.forwardList.list()[0].kind, 'endpoint');
});

test('3389 taken here: any free port; a port in use on start offers Choose Another Port…', async () => {
  const { services, ui, forwards } = editor([3389]);
  forwards.failures = [new ProductError('portInUse', 'Port 0 … is in use by another program: choose another local port.')];
  ui.messageAnswers.push('Choose Another Port…');
  ui.inputAnswers.push('13389');
  await openRdpTunnel.run(services, windows({ PublicIpAddress: undefined }));
  assert.deepEqual(forwards.tunnelRequests.map((r) => r.local.port), [0, 13389]);
});

test('no endpoint in its VPC: the notification offers to create one', async () => {
  const { services, ui, forwards } = editor();
  forwards.failures = [new ProductError('noEndpoint', 'rdp-windows (i-0123456789abcdef0) in us-east-1 has no public address, and there is no EC2 Instance Connect Endpoint in vpc-1.')];
  ui.messageAnswers.push(undefined);
  await openRdpTunnel.run(services, windows({ PublicIpAddress: undefined }));
  assert.deepEqual(ui.messages[0].actions, ['Create Instance Connect Endpoint…', 'Learn More', 'Show Log']);
});

test('a stopped Windows instance: Start Instance, and no tunnel', async () => {
  const { services, ui, forwards } = editor();
  ui.messageAnswers.push(undefined);
  await openRdpTunnel.run(services, windows({ PublicIpAddress: undefined, State: { Name: 'stopped' } }));
  assert.match(ui.messages[0].message, /is stopped: start it, then open the RDP tunnel/);
  assert.deepEqual(ui.messages[0].actions, ['Start Instance', 'Show Log']);
  assert.deepEqual(forwards.tunnelRequests, []);
});
