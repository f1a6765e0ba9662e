// Private instances through the sandbox's EC2 Instance Connect Endpoints: real TLS WebSocket servers on port
// 443 of their DNS names, real presigned SigV4, real sshd behind them, through the core the editor and the CLI
// use, AWS CLI v2's command line (ec2ic open-tunnel) and real OpenSSH. The sandbox's CA is trusted through
// NODE_EXTRA_CA_CERTS (set by scripts/test.mjs for every test process, as a user sets it for a proxy's CA).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import WebSocket from 'ws';

import { type Sandbox, type SandboxInstance, startSandbox } from '../../sandbox';
import { eicClient, instanceNamed } from '../../sandbox/test/helpers';
import { AwsClients } from '../../src/core/aws/clients';
import { silentLogger } from '../../src/core/base/log';
import { defaultSettings } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import { Connector, type ConnectSettings } from '../../src/core/connect/connector';
import { presignTunnelUrl } from '../../src/core/eice/presign';
import { openTunnel, type TunnelStream } from '../../src/core/eice/tunnel';
import { handshakeFailure } from '../../src/core/eice/tunnelFailures';
import { describeFailure } from '../../src/core/errors/describe';
import { isProductError } from '../../src/core/errors/productError';
import type { ChannelEnd } from '../../src/core/ssh/channel';
import type { SshChannel } from '../../src/core/ssh/session';
import { TerminalSession, type TerminalSessionHost } from '../../src/editor/terminal/terminalSession';
import { waitFor } from '../fakes/waitFor';

const run = promisify(execFile);
const maxTunnelSeconds = 6;
let sandbox: Sandbox;
let work: string;
const saved = { ...process.env };

before(async () => {
  if (!process.env.NODE_EXTRA_CA_CERTS) throw new Error('NODE_EXTRA_CA_CERTS must name the sandbox CA (npm test sets it: tsx sandbox/ca.ts prints it)');
  sandbox = await startSandbox({ maxTunnelDurationSeconds: maxTunnelSeconds });
  Object.assign(process.env, sandbox.env);
  work = mkdtempSync(join(tmpdir(), 'ec2ic-eice-'));
});

after(async () => {
  process.env = saved;
  await sandbox?.stop();
});

function connector(settings: Partial<ConnectSettings> = {}): Connector {
  const aws = new AwsClients({ endpoint: sandbox.manifest.endpoint, maxAttempts: 1 });
  return new Connector({ aws: () => aws, store: new MemoryStore(), settings: () => ({ ...defaultSettings, ...settings }), log: silentLogger });
}

const ref = (i: SandboxInstance) => ({ instanceId: i.instanceId, region: i.region });
const endpointOf = (i: SandboxInstance) => sandbox.manifest.instanceConnectEndpoints.find((e) => e.vpcId === i.vpcId)!;

function finished(channel: SshChannel): Promise<{ stdout: string; end: ChannelEnd }> {
  return new Promise((resolve) => {
    let stdout = '';
    channel.onData((data, stream) => {
      if (stream === 'stdout') stdout += data.toString();
    });
    channel.onEnd((end) => resolve({ stdout, end }));
  });
}

function cli(args: string[], options: { input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, HOME: work, XDG_CONFIG_HOME: join(work, 'config') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(options.input ?? '');
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('whoami on each private instance, through the endpoint of its VPC (its subnet\'s, or another subnet\'s)', async () => {
  const c = connector();
  const privates = sandbox.manifest.instances.filter((i) => i.publicIp === null && i.state === 'running' && !i.platform && endpointOf(i));
  assert.ok(privates.length >= 2, 'two private instances behind an endpoint');
  assert.ok(privates.some((i) => i.subnetId !== endpointOf(i).subnetId), 'one of them in another subnet than the endpoint');
  for (const instance of privates) {
    const endpoint = endpointOf(instance);
    const before = sandbox.endpointConnections(endpoint.instanceConnectEndpointId).total;
    const { channel, target } = await c.exec({ instance: ref(instance), port: instance.port }, 'whoami');
    assert.equal((await finished(channel)).stdout, `${instance.osUser}\n`, instance.name);
    assert.equal(target.endpoint?.id, endpoint.instanceConnectEndpointId);
    assert.equal(target.host, instance.privateIp);
    assert.equal(sandbox.endpointConnections(endpoint.instanceConnectEndpointId).total, before + 1, 'one tunnel per connection');
  }
});

test('a private instance is not reachable at its own address; a VPC without an endpoint says so, with the VPC', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  await assert.rejects(
    connector({ connectionType: 'privateAddress' }).exec({ instance: ref(internal), port: internal.port }, 'true'),
    (err: unknown) => isProductError(err, 'unreachable') && err.message.includes(internal.privateIp),
  );
  const isolated = instanceNamed(sandbox, 'isolated-worker');
  await assert.rejects(connector().resolveTarget({ instance: ref(isolated) }), (err: unknown) => {
    assert.ok(isProductError(err, 'noEndpoint'));
    assert.match(err.message, new RegExp(`no EC2 Instance Connect Endpoint in ${isolated.vpcId}`));
    const report = describeFailure(err, { operation: 'connect', instanceId: isolated.instanceId, region: isolated.region });
    assert.ok(report.actions.includes('createEndpoint'));
    assert.ok(report.actions.includes('learnMore'));
    return true;
  });
});

test('a public instance can be reached through its VPC\'s endpoint too (--connection-type eice)', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const { channel, target } = await connector({ connectionType: 'eice' }).exec({ instance: ref(web), port: web.port }, 'whoami');
  assert.equal((await finished(channel)).stdout, `${web.osUser}\n`);
  assert.equal(target.endpoint?.id, endpointOf(web).instanceConnectEndpointId);
});

test('a wrong signature is refused as AWS refuses it: OpenTunnel denied, with the policy that allows it', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  const endpoint = endpointOf(internal);
  const target = { dnsName: endpoint.dnsName, endpointId: endpoint.instanceConnectEndpointId, region: internal.region, privateIp: internal.privateIp, remotePort: 22 };
  const credentials = { ...sandbox.manifest.credentials, secretAccessKey: 'not-the-secret-0000000000000000000000000' };
  await assert.rejects(openTunnel({ target, credentials, who: 'db-internal', timeoutSeconds: 10, log: silentLogger }), (err: unknown) => {
    assert.ok(isProductError(err, 'tunnelDenied'), String(err));
    assert.match(err.message, /ec2-instance-connect:OpenTunnel/);
    const report = describeFailure(err, { operation: 'OpenTunnel', instanceId: internal.instanceId, region: internal.region, endpointId: endpoint.instanceConnectEndpointId, port: 22 });
    assert.ok(report.actions.includes('showRequiredPolicy'));
    assert.match(JSON.stringify(report.requiredPolicy), new RegExp(`instance-connect-endpoint/${endpoint.instanceConnectEndpointId}`));
    return true;
  });
});

test('an expired URL gets a 403 with a JSON body, which reads as a denial naming the endpoint', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  const endpoint = endpointOf(internal);
  const target = { dnsName: endpoint.dnsName, endpointId: endpoint.instanceConnectEndpointId, region: internal.region, privateIp: internal.privateIp, remotePort: 22 };
  const url = await presignTunnelUrl(target, sandbox.manifest.credentials, new Date(Date.now() - 10 * 60_000));
  const answer = await new Promise<{ status: number; body: string; requestId?: string }>((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => reject(new Error('an expired URL was accepted')));
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, requestId: res.headers['x-amzn-requestid'] as string | undefined }));
    });
    socket.on('error', () => {});
  });
  assert.equal(answer.status, 403);
  assert.ok(JSON.parse(answer.body).Message, answer.body);
  assert.ok(answer.requestId, 'a request id, as AWS sends');
  const failure = handshakeFailure({ status: answer.status, body: answer.body, requestId: answer.requestId }, { who: 'db-internal', target });
  assert.ok(isProductError(failure, 'tunnelDenied'));
});

test('port 80 is refused with AWS\'s own words: only 22 and 3389', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  await assert.rejects(connector().exec({ instance: ref(internal), port: 80 }, 'true'), (err: unknown) => {
    assert.ok(isProductError(err), String(err));
    assert.match(err.message, /Specify either 22 or 3389/);
    return true;
  });
});

test('a tunnel cut at its maximum duration: the terminal says so, and Enter reconnects with a fresh key and tunnel', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  const endpoint = endpointOf(internal);
  const c = connector();
  const shown = { text: '' };
  const host: TerminalSessionHost = { write: (text) => void (shown.text += text), close: () => undefined, failed: () => undefined };
  const session = new TerminalSession(async ({ size, attempt, signal }) => {
    const { channel } = await c.openShell({ instance: ref(internal), port: internal.port, refresh: attempt > 0, signal }, size);
    return channel;
  }, host);
  session.open({ cols: 200, rows: 24 });
  // What the terminal shows, when a wait fails: the first thing to look at.
  const until = (condition: () => boolean, what: string, ms: number) =>
    waitFor(condition, what, ms).catch((err: Error) => {
      throw new Error(`${err.message}; the terminal shows ${JSON.stringify(shown.text)}`);
    });
  await until(() => /\$ $/.test(shown.text), 'the prompt', 15_000);
  const tunnels = sandbox.endpointConnections(endpoint.instanceConnectEndpointId).total;
  await until(() => session.state === 'disconnected', 'the cut', (maxTunnelSeconds + 5) * 1000);
  assert.match(shown.text, new RegExp(`closed the tunnel to db-internal \\(${internal.instanceId}\\) in us-east-1 after its maximum duration of ${maxTunnelSeconds} seconds`));
  assert.match(shown.text, /Press Enter to reconnect, or close this terminal\.\r\n$/);

  const before = shown.text.length;
  session.input('\r');
  await until(() => /\$ $/.test(shown.text.slice(before)), 'a new prompt', 15_000);
  assert.equal(sandbox.endpointConnections(endpoint.instanceConnectEndpointId).total, tunnels + 1, 'a fresh tunnel');
  session.input('whoami\r');
  await until(() => new RegExp(`[\r\n]${internal.osUser}\r\n`).test(shown.text.slice(before)), 'whoami after the reconnect', 10_000);
  session.close();
});

test('an endpoint takes 20 connections; the 21st is refused with the limit in its message', async () => {
  const internal = instanceNamed(sandbox, 'cache-internal');
  const endpoint = endpointOf(internal);
  // Spread over the VPC's instances: one sshd drops unauthenticated connections beyond 10 (MaxStartups), as on AWS.
  const behind = sandbox.manifest.instances.filter((i) => i.vpcId === internal.vpcId && i.state === 'running' && !i.platform);
  assert.ok(behind.length >= 3, behind.map((i) => i.name).join(', '));
  const open = (i: SandboxInstance) =>
    openTunnel({
      target: { dnsName: endpoint.dnsName, endpointId: endpoint.instanceConnectEndpointId, region: i.region, privateIp: i.privateIp, remotePort: 22 },
      credentials: sandbox.manifest.credentials,
      who: i.name,
      timeoutSeconds: 10,
      log: silentLogger,
    });
  const tunnels: TunnelStream[] = [];
  // The tunnels of the tests before have closed at the endpoint too: these 20 are the only ones.
  await waitFor(() => sandbox.endpointConnections(endpoint.instanceConnectEndpointId).open === 0, 'no tunnel left open');
  try {
    for (let i = 0; i < 20; i++) tunnels.push(await open(behind[i % behind.length]));
    assert.equal(sandbox.endpointConnections(endpoint.instanceConnectEndpointId).open, 20);
    await assert.rejects(
      open(internal).then((leaked) => tunnels.push(leaked)),
      (err: unknown) => isProductError(err, 'tunnelLimit') && /20 concurrent connections/.test(err.message),
    );
  } finally {
    for (const tunnel of tunnels) tunnel.destroy();
  }
});

test('ec2ic ssh reaches a private instance through its endpoint; one without says how to create one', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  const ok = await cli(['ssh', internal.instanceId, '--region', internal.region, '--port', String(internal.port), '--', 'whoami']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, `${internal.osUser}\n`);
  const isolated = instanceNamed(sandbox, 'isolated-worker');
  const refused = await cli(['ssh', isolated.instanceId, '--region', isolated.region, '--', 'whoami']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`no EC2 Instance Connect Endpoint in ${isolated.vpcId}`));
  assert.match(refused.stderr, new RegExp(`aws ec2 create-instance-connect-endpoint --subnet-id ${isolated.subnetId}`));
  const usage = await cli(['ssh', internal.instanceId, '--connection-type', 'tunnel', '--', 'true']);
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /--connection-type tunnel: use one of auto, direct, privateAddress, eice/);
});

/** An OpenSSH key authorized for a minute on the instance, pushed as a user would with the AWS CLI. */
async function pushedKey(instance: SandboxInstance): Promise<string> {
  const key = join(work, `id-${instance.instanceId}`);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const { readFileSync } = await import('node:fs');
  const client = eicClient(sandbox, instance.region);
  const { SendSSHPublicKeyCommand } = await import('@aws-sdk/client-ec2-instance-connect');
  await client.send(new SendSSHPublicKeyCommand({ InstanceId: instance.instanceId, InstanceOSUser: instance.osUser, SSHPublicKey: readFileSync(`${key}.pub`, 'utf8'), AvailabilityZone: instance.availabilityZone }));
  client.destroy();
  return key;
}

const sshOptions = (key: string) => ['-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(work, 'known_hosts')}`];

test('real OpenSSH through ec2ic open-tunnel as its ProxyCommand (stdin/stdout), with a pushed key', async () => {
  const internal = instanceNamed(sandbox, 'cache-internal');
  const key = await pushedKey(internal);
  const proxy = `${process.execPath} ${join(process.cwd(), 'dist', 'cli.js')} open-tunnel --instance-id %h --region ${internal.region}`;
  const { stdout } = await run('/usr/bin/ssh', [...sshOptions(key), '-o', `ProxyCommand=${proxy}`, '-p', String(internal.port), `${internal.osUser}@${internal.instanceId}`, 'whoami'], {
    env: { ...process.env, HOME: work },
    timeout: 30_000,
  });
  assert.equal(stdout, `${internal.osUser}\n`);
});

test('ec2ic open-tunnel --local-port: a listener on localhost, a tunnel per connection', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  const key = await pushedKey(internal);
  const child = spawn(process.execPath, ['dist/cli.js', 'open-tunnel', '--instance-id', internal.instanceId, '--region', internal.region, '--local-port', '0'], { env: { ...process.env, HOME: work } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`open-tunnel exited with ${code}: ${stderr}`)));
    });
    for (let i = 0; i < 2; i++) {
      const { stdout } = await run('/usr/bin/ssh', [...sshOptions(key), '-p', String(port), `${internal.osUser}@127.0.0.1`, 'whoami'], { env: { ...process.env, HOME: work }, timeout: 30_000 });
      assert.equal(stdout, `${internal.osUser}\n`);
    }
  } finally {
    child.kill('SIGINT');
  }
});

test('the Remote-SSH host entry of a private instance goes through its endpoint, with real ssh', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  const printed = await cli(['ssh-config', internal.instanceId, '--region', internal.region, '--port', String(internal.port)]);
  assert.equal(printed.code, 0, printed.stderr);
  const config = join(work, 'ssh_config');
  writeFileSync(config, printed.stdout);
  const alias = /^Host (\S+)$/m.exec(printed.stdout)![1];
  const { stdout } = await run('/usr/bin/ssh', ['-F', config, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${join(work, 'known_hosts_entry')}`, alias, 'whoami'], {
    env: { ...process.env, HOME: work, XDG_CONFIG_HOME: join(work, 'config') },
    timeout: 30_000,
  });
  assert.equal(stdout, `${internal.osUser}\n`);
});
