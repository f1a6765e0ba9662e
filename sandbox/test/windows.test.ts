// The Windows instances' port 3389: a banner, then an echo. rdp-windows has no public address and is reached
// through its VPC's endpoint alone (remotePort 3389); build-windows answers at its public address too. Both
// listen while the instance runs.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';

import { DescribeInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type WebSocket from 'ws';

import { type Sandbox, type SandboxInstance, startSandbox } from '../index';
import { ec2Client, instanceNamed } from './helpers';
import { waitUntil } from './openssh';
import { closed, openTunnel, tunnelVia } from './tunnels';

const root = process.getuid?.() === 0;
const rootOnly = { skip: root ? false : 'needs root: endpoints are reached on port 443 of their DnsName through /etc/hosts' };
let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ transitionSeconds: 0.3 });
});

after(async () => {
  await sandbox?.stop();
});

/** Every byte value, and the banner's own line ending: what comes back must be these bytes exactly. */
const PAYLOAD = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, index) => index)), Buffer.from('\r\nhello\r\n')]);
const banner = (instance: SandboxInstance) => `RDP sandbox ${instance.instanceId}\r\n`;

/** Connects over TCP, sends PAYLOAD after the banner, and resolves with everything received, or the error code. */
function talk(host: string, port: number, expected: number): Promise<Buffer | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    socket.once('data', () => socket.write(PAYLOAD));
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (received.length >= expected) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The same through a tunnel: binary frames both ways. */
async function talkThrough(ws: WebSocket, first: Promise<Buffer>, expected: number): Promise<Buffer> {
  let received = await first;
  ws.send(PAYLOAD, { binary: true });
  while (received.length < expected) {
    received = Buffer.concat([received, await new Promise<Buffer>((resolve) => ws.once('message', (data: Buffer) => resolve(data)))]);
  }
  return received;
}

async function state(instance: SandboxInstance): Promise<string | undefined> {
  const result = await ec2Client(sandbox).send(new DescribeInstancesCommand({ InstanceIds: [instance.instanceId] }));
  return result.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

test('the Windows instances: rdp-windows private in the endpoint\'s VPC, and where each one\'s 3389 listens', async () => {
  const rdp = instanceNamed(sandbox, 'rdp-windows');
  const build = instanceNamed(sandbox, 'build-windows');
  const endpoint = sandbox.manifest.instanceConnectEndpoints[0];
  assert.equal(rdp.platform, 'windows');
  assert.equal(rdp.publicIp, null);
  assert.equal(rdp.state, 'running');
  assert.equal(rdp.vpcId, endpoint.vpcId);
  assert.equal(rdp.subnetId, endpoint.subnetId);
  assert.equal(rdp.rdp?.port, 3389);
  assert.notEqual(rdp.rdp?.host, rdp.privateIp);
  assert.deepEqual(build.rdp, { host: build.publicIp, port: 3389 });
  assert.deepEqual(sandbox.manifest.instances.filter((instance) => instance.rdp).map((instance) => instance.name), ['build-windows', 'rdp-windows']);
  const described = (await ec2Client(sandbox).send(new DescribeInstancesCommand({ InstanceIds: [rdp.instanceId] }))).Reservations?.[0]?.Instances?.[0];
  assert.equal(String(described?.Platform), 'windows');
  assert.equal(described?.PublicIpAddress, undefined);
  assert.equal(described?.PrivateIpAddress, rdp.privateIp);
});

test('build-windows answers on 3389 at its public address; no private IP answers on 3389', async () => {
  const build = instanceNamed(sandbox, 'build-windows');
  const expected = Buffer.concat([Buffer.from(banner(build)), PAYLOAD]);
  assert.deepEqual(await talk(build.publicIp!, 3389, expected.length), expected);
  for (const instance of [build, instanceNamed(sandbox, 'rdp-windows')]) {
    assert.equal(await talk(instance.privateIp, 3389, 1), 'ECONNREFUSED', instance.name);
  }
});

test('through the endpoint, remotePort 3389 reaches each Windows instance at its private IP: the banner, then an echo', rootOnly, async () => {
  for (const name of ['rdp-windows', 'build-windows']) {
    const instance = instanceNamed(sandbox, name);
    const outcome = await openTunnel(sandbox, await tunnelVia(sandbox, instance, { remotePort: '3389' }));
    assert.equal(outcome.kind, 'open', name);
    if (outcome.kind !== 'open') continue;
    const expected = Buffer.concat([Buffer.from(banner(instance)), PAYLOAD]);
    assert.deepEqual(await talkThrough(outcome.ws, outcome.first, expected.length), expected, name);
    outcome.ws.close();
    await closed(outcome.ws);
  }
  // A Linux instance has nothing on 3389: the tunnel is closed at once, the closing handshake too.
  const linux = await openTunnel(sandbox, await tunnelVia(sandbox, instanceNamed(sandbox, 'db-internal'), { remotePort: '3389' }));
  const started = Date.now();
  if (linux.kind === 'open') assert.deepEqual(await closed(linux.ws), { code: 1011, reason: 'Unable to connect to target' });
  else assert.fail('the handshake was refused');
  assert.ok(Date.now() - started < 5000, `closed after ${Date.now() - started} ms`);
});

test('stopping a Windows instance stops its 3389; starting it brings it back', async () => {
  const rdp = instanceNamed(sandbox, 'rdp-windows');
  const client = ec2Client(sandbox);
  await client.send(new StopInstancesCommand({ InstanceIds: [rdp.instanceId] }));
  await waitUntil(() => instanceNamed(sandbox, 'rdp-windows').state === 'stopped', 'rdp-windows is stopped');
  assert.equal(await state(rdp), 'stopped');
  assert.equal(await talk(rdp.rdp!.host, 3389, 1), 'ECONNREFUSED');
  if (root) {
    const outcome = await openTunnel(sandbox, await tunnelVia(sandbox, rdp, { remotePort: '3389' }));
    if (outcome.kind === 'open') assert.deepEqual(await closed(outcome.ws), { code: 1011, reason: 'Unable to connect to target' });
    else assert.fail('the handshake was refused');
  }
  await client.send(new StartInstancesCommand({ InstanceIds: [rdp.instanceId] }));
  await waitUntil(() => instanceNamed(sandbox, 'rdp-windows').state === 'running', 'rdp-windows is running');
  const expected = Buffer.concat([Buffer.from(banner(rdp)), PAYLOAD]);
  assert.deepEqual(await talk(rdp.rdp!.host, 3389, expected.length), expected);
});
