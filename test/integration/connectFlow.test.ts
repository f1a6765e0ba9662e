import assert from 'node:assert/strict';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';

import type { Instance } from '@aws-sdk/client-ec2';

import { toEc2Instance } from '../../src/core/aws/instances';
import type { Ec2Instance } from '../../src/core/aws/model';
import { createLogger } from '../../src/core/base/log';
import { defaultSettings } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import { Connector, type ConnectRequest } from '../../src/core/connect/connector';
import { isProductError } from '../../src/core/errors/productError';
import type { ChannelEnd } from '../../src/core/ssh/channel';
import type { SshChannel } from '../../src/core/ssh/session';
import { FakeAws } from '../fakes/fakeAws';
import { TestSshServer } from '../fakes/sshServer';
import { waitFor } from '../fakes/waitFor';

const id = 'i-0123456789abcdef0';
let server: TestSshServer;
let aws: FakeAws;
let store: MemoryStore;
let logLines: string[];

before(async () => {
  server = await new TestSshServer().start();
});
after(() => server.stop());

const sdkInstance = (overrides: Partial<Instance> = {}): Instance => ({
  InstanceId: id,
  InstanceType: 't3.micro',
  State: { Name: 'running' },
  Placement: { AvailabilityZone: 'us-east-1b' },
  PublicIpAddress: '127.0.0.1',
  PrivateIpAddress: '10.0.0.5',
  ImageId: 'ami-0ubuntu',
  PlatformDetails: 'Linux/UNIX',
  Tags: [{ Key: 'Name', Value: 'web' }],
  ...overrides,
});

const instance = (overrides: Partial<Instance> = {}): Ec2Instance => toEc2Instance(sdkInstance(overrides), { region: 'us-east-1' });

beforeEach(() => {
  aws = new FakeAws();
  aws.images.set('ami-0ubuntu', { ImageId: 'ami-0ubuntu', Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240801', PlatformDetails: 'Linux/UNIX' });
  aws.images.set('ami-0custom', { ImageId: 'ami-0custom', Name: 'golden-42', Description: 'made here', PlatformDetails: 'Linux/UNIX' });
  aws.images.set('ami-0windows', { ImageId: 'ami-0windows', Name: 'Windows_Server-2022-English-Full-Base', Platform: 'Windows', PlatformDetails: 'Windows' });
  aws.instances.set(id, sdkInstance());
  aws.onPush = (push) => server.authorize(push.InstanceOSUser!, push.SSHPublicKey!);
  store = new MemoryStore();
  logLines = [];
});

function connector(): Connector {
  const log = createLogger({
    trace: (m) => logLines.push(m),
    debug: (m) => logLines.push(m),
    info: (m) => logLines.push(m),
    warn: (m) => logLines.push(m),
    error: (m) => logLines.push(m),
  });
  return new Connector({ aws: () => aws.clients(), store, settings: () => ({ ...defaultSettings, port: server.port, connectTimeoutSeconds: 5 }), log });
}

function output(channel: SshChannel): Promise<{ text: string; end: ChannelEnd }> {
  let text = '';
  return new Promise((resolve) => {
    channel.onData((data) => (text += data.toString()));
    channel.onEnd((end) => resolve({ text, end }));
  });
}

test('connect: detect the user from the image, push a fresh key with the AZ, log in, run a command', async () => {
  const seen: string[] = [];
  const { channel, target } = await connector().exec(
    { instance: instance(), onConnecting: (t) => seen.push(`${t.osUser}@${t.host}:${t.port} ${t.addressKind} ${t.osUserSource}`) },
    'whoami',
  );
  assert.deepEqual(await output(channel), { text: 'ubuntu\n', end: { kind: 'exit', code: 0, signal: undefined } });
  assert.deepEqual(seen, [`ubuntu@127.0.0.1:${server.port} public IPv4 detected`]);
  assert.equal(target.osUser, 'ubuntu');
  assert.equal(aws.pushes.length, 1);
  assert.equal(aws.pushes[0].AvailabilityZone, 'us-east-1b');
  assert.equal(aws.pushes[0].InstanceId, id);
  assert.match(aws.pushes[0].SSHPublicKey!, /^ssh-ed25519 /);

  await connector().exec({ instance: instance() }, 'whoami');
  assert.notEqual(aws.pushes[1].SSHPublicKey, aws.pushes[0].SSHPublicKey, 'a fresh key per connection');
});

test('a key refused because its window closed is pushed again once, and the connection succeeds', async () => {
  // The first push "expires" before sshd looks: only the second one is authorized.
  aws.onPush = (push) => {
    if (aws.pushes.length === 2) server.authorize(push.InstanceOSUser!, push.SSHPublicKey!);
  };
  const { channel } = await connector().exec({ instance: instance() }, 'whoami');
  assert.equal((await output(channel)).text, 'ubuntu\n');
  assert.equal(aws.pushes.length, 2);
  assert.equal(aws.pushes[1].SSHPublicKey, aws.pushes[0].SSHPublicKey, 'the same key, pushed again');
});

test('a key refused after the second push: authRefused naming the user, and exactly two pushes', async () => {
  aws.onPush = () => {};
  await assert.rejects(connector().exec({ instance: instance() }, 'whoami'), (err: unknown) => {
    assert.ok(isProductError(err, 'authRefused'), String(err));
    assert.match(err.message, /refused the key pushed for the user "ubuntu" \(guessed from its image\), also after the key was pushed a second time/);
    assert.match(err.message, /choose another user/);
    return true;
  });
  assert.equal(aws.pushes.length, 2);
});

test('the key push and the SSH handshake run at the same time; the key is offered once the push is done', async () => {
  const c = connector();
  // The push answers only after the handshake got as far as the host key: sequential, this would never end.
  aws.onPush = async (push) => {
    await waitFor(() => store.values.size > 0, 'the host key to be trusted while the push is in flight');
    server.authorize(push.InstanceOSUser!, push.SSHPublicKey!);
  };
  const { channel } = await c.exec({ instance: instance() }, 'whoami');
  assert.equal((await output(channel)).text, 'ubuntu\n');
  assert.equal(aws.pushes.length, 1, 'the key was not offered before the push was done (that would be refused and pushed again)');
});

/** A port that accepts connections and never says a word: a host whose SSH does not answer. */
async function silentPort(): Promise<{ port: number; close(): void }> {
  const sockets: Socket[] = [];
  const silent: NetServer = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  return { port, close: () => (sockets.forEach((socket) => socket.destroy()), silent.close()) };
}

test('a failed push ends the attempt with its own error: not a timeout while the host is silent, not "unreachable"', async () => {
  const denied = Object.assign(new Error('not authorized to perform: ec2-instance-connect:SendSSHPublicKey'), { name: 'AccessDeniedException' });
  aws.onPush = () => {
    throw denied;
  };
  const silent = await silentPort();
  try {
    await assert.rejects(connector().exec({ instance: instance(), port: silent.port }, 'whoami'), (err: unknown) => err === denied);
  } finally {
    silent.close();
  }
  const closed = await silentPort();
  closed.close();
  await assert.rejects(connector().exec({ instance: instance(), port: closed.port }, 'whoami'), (err: unknown) => err === denied);
});

test('the OS user: given, else remembered, else detected, else asked (and remembered), else ec2-user', async () => {
  const c = connector();
  const resolve = async (request: Partial<ConnectRequest> = {}, image = 'ami-0ubuntu') =>
    (await c.resolveTarget({ instance: instance({ ImageId: image }), ...request })).osUser;

  assert.equal(await resolve({ osUser: 'deploy' }), 'deploy');
  assert.equal(await resolve(), 'ubuntu');
  await c.osUsers.remember(id, 'admin');
  assert.equal(await resolve(), 'admin');
  assert.equal(await resolve({ osUser: 'deploy' }), 'deploy');
  await c.osUsers.forget(id);

  assert.equal(await resolve({}, 'ami-0custom'), 'ec2-user', 'nobody to ask: the usual default');
  const asked: string[] = [];
  assert.equal(await resolve({ chooseOsUser: async (i) => (asked.push(i.instanceId), 'rocky') }, 'ami-0custom'), 'rocky');
  assert.deepEqual(asked, [id]);
  assert.equal(c.osUsers.get(id), 'rocky', 'a chosen user is remembered');

  await c.osUsers.forget(id);
  await assert.rejects(
    c.resolveTarget({ instance: instance({ ImageId: 'ami-0custom' }), chooseOsUser: async () => undefined }),
    (err: unknown) => isProductError(err, 'cancelled'),
  );
  assert.equal(aws.calls.filter((call) => call === 'DescribeImages').length, 2, 'each image is described once');
});

test('closing one terminal while its image is looked up does not cost a concurrent Connect to the same image its user', async () => {
  const c = connector();
  let release!: () => void;
  aws.imagesGate = new Promise((resolve) => (release = resolve));
  const closing = new AbortController();
  const first = c.resolveTarget({ instance: instance({ ImageId: 'ami-0ubuntu' }), signal: closing.signal });
  const second = c.resolveTarget({ instance: instance({ InstanceId: 'i-0fedcba9876543210', ImageId: 'ami-0ubuntu' }) });
  await new Promise((resolve) => setImmediate(resolve));
  closing.abort();
  await assert.rejects(first, (err: Error) => err.name === 'AbortError');
  release();
  assert.equal((await second).osUser, 'ubuntu', 'the shared lookup went on for the other connection');
  assert.equal(aws.calls.filter((call) => call === 'DescribeImages').length, 1, 'one lookup for both');
});

test('an instance given by id is described; a missing, stopped or Windows one fails before any push', async () => {
  const c = connector();
  const target = await c.resolveTarget({ instance: { instanceId: id, region: 'us-east-1' } });
  assert.equal(target.instance.name, 'web');
  assert.equal(target.host, '127.0.0.1');

  await assert.rejects(c.resolveTarget({ instance: { instanceId: 'i-0fedcba9876543210', region: 'us-east-1' } }), (err: unknown) =>
    isProductError(err, 'instanceNotFound') && /i-0fedcba9876543210 in us-east-1/.test(err.message),
  );
  await assert.rejects(c.resolveTarget({ instance: instance({ State: { Name: 'stopped' } }) }), (err: unknown) =>
    isProductError(err, 'instanceNotRunning') && /is stopped/.test(err.message),
  );
  await assert.rejects(c.resolveTarget({ instance: instance({ ImageId: 'ami-0windows' }) }), (err: unknown) => isProductError(err, 'windowsUnsupported'));
  await assert.rejects(c.resolveTarget({ instance: instance({ PublicIpAddress: undefined, PrivateIpAddress: undefined }) }), (err: unknown) => isProductError(err, 'noAddress'));
  await assert.rejects(c.resolveTarget({ instance: instance({ PublicIpAddress: undefined, VpcId: 'vpc-1', SubnetId: 'subnet-1' }) }), (err: unknown) =>
    isProductError(err, 'noEndpoint') && /no EC2 Instance Connect Endpoint in vpc-1/.test(err.message),
  );
  assert.equal(aws.pushes.length, 0);

  aws.instances.set(id, sdkInstance({ PublicIpAddress: '127.0.0.1', Tags: [{ Key: 'Name', Value: 'renamed' }] }));
  const refreshed = await c.resolveTarget({ instance: instance(), refresh: true });
  assert.equal(refreshed.instance.name, 'renamed', 'refresh describes the instance again');
});

test('the log tells what happened and holds no private key', async () => {
  const { channel } = await connector().exec({ instance: instance() }, 'whoami');
  await output(channel);
  const log = logLines.join('\n');
  assert.match(log, /\[connect\] generated a one-time ed25519 key/);
  assert.match(log, /\[connect\] pushed the key for ubuntu to i-0123456789abcdef0 .* \(request id req-1\)/);
  assert.match(log, /\[connect\] host key of i-0123456789abcdef0: ed25519 SHA256:\S+ \(trusted on first use\)/);
  assert.doesNotMatch(log, /PRIVATE KEY|b3BlbnNzaC1rZXktdjE/);
  assert.ok(!log.includes(aws.pushes[0].SSHPublicKey!.split(' ')[1]), 'not even the public key blob');
});
