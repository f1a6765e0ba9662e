// Port forwarding against the sandbox: real SDK clients and pushes, real sshd instances allowing TCP
// forwarding as a stock sshd does, real ssh2 direct-tcpip channels, real endpoint tunnels. The instances are
// sshd processes on this machine, so a server this test starts on 127.0.0.1 is on "the instance's localhost".
import assert from 'node:assert/strict';
import { createServer as createHttpServer, get, type Server } from 'node:http';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { after, afterEach, before, beforeEach, test } from 'node:test';

import { type Sandbox, type SandboxInstance, startSandbox } from '../../sandbox';
import { instanceNamed } from '../../sandbox/test/helpers';
import { AwsClients } from '../../src/core/aws/clients';
import { silentLogger } from '../../src/core/base/log';
import { defaultSettings } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import { ConnectionPool } from '../../src/core/connect/connectionPool';
import { Connector } from '../../src/core/connect/connector';
import { isProductError } from '../../src/core/errors/productError';
import type { Forward } from '../../src/core/forward/forward';
import { Forwards } from '../../src/core/forward/forwards';
import { parseForwardSpec } from '../../src/core/forward/forwardSpec';
import { waitFor } from '../fakes/waitFor';

let sandbox: Sandbox;
const apiCalls: string[] = [];
const saved = { ...process.env };
let http: Server;
let httpPort: number;
let pool: ConnectionPool;
let forwards: Forwards;

before(async () => {
  sandbox = await startSandbox({ log: (line) => apiCalls.push(line) });
  process.env = { ...saved, ...sandbox.env, AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
  delete process.env.AWS_PROFILE;
  // A web app on the instance's side: says who asked, so a test sees the bytes went through.
  http = createHttpServer((request, response) => {
    response.setHeader('content-type', 'text/plain');
    response.end(`hello from the instance side: ${request.method} ${request.url}`);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpPort = (http.address() as AddressInfo).port;
});

after(async () => {
  process.env = saved;
  http?.close();
  await sandbox?.stop();
});

beforeEach(async () => {
  await sandbox.clearFaults();
  const clients = new AwsClients({ endpoint: sandbox.manifest.endpoint, maxAttempts: 1 });
  const connector = new Connector({
    aws: () => clients,
    store: new MemoryStore(),
    settings: () => ({ ...defaultSettings, connectTimeoutSeconds: 10 }),
    log: silentLogger,
  });
  pool = new ConnectionPool({ connector, lingerSeconds: 0, log: silentLogger });
  forwards = new Forwards({ pool, aws: () => clients, connectTimeoutSeconds: () => 10, log: silentLogger });
});

afterEach(async () => {
  await forwards.stopAll();
  pool.dispose();
});

const ref = (instance: SandboxInstance) => ({ instanceId: instance.instanceId, region: instance.region });
const pushesTo = (instance: SandboxInstance) => apiCalls.filter((line) => line.includes(`SendSSHPublicKey ${instance.instanceId} → 200`)).length;

function forward(instance: SandboxInstance, spec: string) {
  return forwards.forwardPort({ instance: ref(instance), port: instance.port, spec: parseForwardSpec(spec) });
}

function fetchText(port: number, path = '/', host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host, port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Connects, and resolves with what the other end sent before closing (or the error that ended it). */
function readAll(port: number, send?: string): Promise<{ data: string; error?: string }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => (send ? socket.end(send) : undefined));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', (err) => resolve({ data, error: err.message }));
    socket.on('close', () => resolve({ data }));
  });
}

async function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Writes `send` and reads until `expected` has come back (an RDP client does not half-close either), then closes. */
function converse(port: number, send: string, expected: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(send));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.length >= expected.length) {
        socket.destroy();
        resolve(data);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}

const local = (f: Forward) => f.local.port;

test('HTTP through a forward to a server on the instance side; stop frees the local port', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const f = await forward(web, `0:localhost:${httpPort}`);
  assert.equal(f.local.host, '127.0.0.1', 'bound to this computer only by default');
  assert.notEqual(local(f), 0, 'port 0 became a real port');
  assert.deepEqual(await fetchText(local(f), '/status'), { status: 200, body: 'hello from the instance side: GET /status' });
  assert.deepEqual(await fetchText(local(f), '/again'), { status: 200, body: 'hello from the instance side: GET /again' });
  assert.equal(f.state, 'open');
  assert.equal(f.connections.total, 2);
  assert.deepEqual(forwards.forInstance(web.instanceId).map((x) => x.id), [f.id]);

  const port = local(f);
  await f.stop();
  assert.equal(f.state, 'stopped');
  assert.deepEqual(forwards.list(), []);
  assert.ok(await isFree(port), 'the local port is free again');
  await waitFor(() => pool.size === 0, 'the connection to end once nothing holds it');
});

test('a forward through the Instance Connect Endpoint to a private instance', async () => {
  const internal = instanceNamed(sandbox, 'cache-internal');
  const f = await forward(internal, `0:localhost:${httpPort}`);
  assert.deepEqual(await fetchText(local(f)), { status: 200, body: 'hello from the instance side: GET /' });
});

test('20 parallel local connections through one forward use one SSH connection (one tunnel at the endpoint, one key push)', async () => {
  const internal = instanceNamed(sandbox, 'cache-internal');
  const endpointId = sandbox.manifest.instanceConnectEndpoints.find((e) => e.vpcId === internal.vpcId)!.instanceConnectEndpointId;
  const before = sandbox.endpointConnections(endpointId).total;
  const pushesBefore = pushesTo(internal);
  const f = await forward(internal, `0:localhost:${httpPort}`);
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => fetchText(local(f), `/${i}`)));
  assert.deepEqual(
    answers.map((a) => a.body),
    Array.from({ length: 20 }, (_, i) => `hello from the instance side: GET /${i}`),
  );
  assert.equal(f.connections.total, 20);
  assert.equal(sandbox.endpointConnections(endpointId).total - before, 1, 'one tunnel, so one SSH connection, for all 20');
  assert.equal(pushesTo(internal) - pushesBefore, 1, 'one key push');
});

test('a forward and a shell on the same instance share one connection', async () => {
  const internal = instanceNamed(sandbox, 'cache-internal');
  const endpointId = sandbox.manifest.instanceConnectEndpoints.find((e) => e.vpcId === internal.vpcId)!.instanceConnectEndpointId;
  const before = sandbox.endpointConnections(endpointId).total;
  await forward(internal, `0:localhost:${httpPort}`);
  const { channel } = await pool.exec({ instance: ref(internal), port: internal.port }, 'echo shared');
  const out = await new Promise<string>((resolve) => {
    let text = '';
    channel.onData((data) => (text += data.toString()));
    channel.onEnd(() => resolve(text));
  });
  assert.equal(out, 'shared\n');
  assert.equal(sandbox.endpointConnections(endpointId).total - before, 1);
  assert.equal(pool.size, 1);
});

test('a local port in use is a clear portInUse error, and nothing is pushed or left listening', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as AddressInfo).port;
  const pushesBefore = pushesTo(web);
  try {
    await assert.rejects(forward(web, `${port}:localhost:${httpPort}`), (err: unknown) => {
      assert.ok(isProductError(err, 'portInUse'), String(err));
      assert.match(err.message, new RegExp(`Port ${port} on this computer \\(127\\.0\\.0\\.1:${port}\\) is in use by another program`));
      return true;
    });
    assert.equal(pushesTo(web), pushesBefore, 'no key pushed for a forward that cannot listen');
    assert.deepEqual(forwards.list(), []);
  } finally {
    taken.close();
  }
});

test('a remote port that refuses: the forward starts with a warning, and each local connection is closed', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const f = await forward(web, `0:localhost:${deadPort}`);
  assert.equal(f.state, 'open');
  assert.match(f.problem ?? '', new RegExp(`could not connect to localhost:${deadPort} for the forward: nothing listens there`));
  const attempt = await readAll(local(f));
  assert.equal(attempt.data, '', 'the local connection gets nothing and is closed');
  assert.equal(f.state, 'open', 'still listening: the server may start later');
});

test('a drop: the forward says so, and the next local connection reconnects with a fresh key', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const f = await forward(web, `0:localhost:${httpPort}`);
  assert.equal((await fetchText(local(f))).status, 200);
  const pushesBefore = pushesTo(web);
  await sandbox.injectFault({ dropSsh: web.instanceId });
  await waitFor(() => f.state === 'dropped', 'the forward to see the drop');
  assert.match(f.problem ?? '', /was lost.*It opens again on the next connection\./);
  assert.deepEqual(await fetchText(local(f), '/after'), { status: 200, body: 'hello from the instance side: GET /after' });
  assert.equal(f.state, 'open');
  assert.equal(pushesTo(web) - pushesBefore, 1, 'a fresh key for the new connection');
});

test('a reconnect that fails is said on the forward, and the one after it works', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const f = await forward(web, `0:localhost:${httpPort}`);
  await sandbox.injectFault({ dropSsh: web.instanceId });
  await waitFor(() => f.state === 'dropped', 'the drop');
  await sandbox.injectFault({ operation: 'SendSSHPublicKey', instanceId: web.instanceId, error: 'ThrottlingException', times: 1 });
  const refused = await readAll(local(f));
  assert.equal(refused.data, '');
  await waitFor(() => f.state === 'failed', 'the failed reconnect on the forward');
  assert.match(f.problem ?? '', /Throttl|too many|rate/i);
  assert.equal((await fetchText(local(f))).status, 200);
  assert.equal(f.state, 'open');
});

test('20 parallel local connections to a public instance: one SSH connection, counted at its sshd', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const before = sandbox.sshConnections(web.instanceId).total;
  const f = await forward(web, `0:localhost:${httpPort}`);
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => fetchText(local(f), `/${i}`)));
  assert.ok(answers.every((a, i) => a.body === `hello from the instance side: GET /${i}`));
  assert.equal(sandbox.sshConnections(web.instanceId).total - before, 1);
  assert.equal(sandbox.sshConnections(web.instanceId).open, 1);
});

test('a forward to a host only the instance reaches: the VPC\'s internal service, by its private DNS name', async () => {
  const internal = instanceNamed(sandbox, 'db-internal');
  const service = sandbox.manifest.internalServices[0];
  assert.equal(service.vpcId, internal.vpcId);
  const direct = await fetchText(service.port, '/', service.host);
  assert.equal(direct.status, 403, 'not reachable from here');
  const f = await forward(internal, `0:${service.dnsName}:${service.port}`);
  const answer = await fetchText(local(f));
  assert.equal(answer.status, 200);
  assert.match(answer.body, new RegExp(`hello ${internal.osUser} on ${internal.instanceId}`));
});

test('an instance that does not allow TCP forwarding: the forward does not start, and says why', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  await sandbox.injectFault({ instanceId: api.instanceId, allowTcpForwarding: false });
  await assert.rejects(forward(api, `0:localhost:${httpPort}`), (err: unknown) => {
    assert.ok(isProductError(err, 'forwardingDisabled'), String(err));
    assert.match(err.message, /does not allow port forwarding to localhost:\d+ for "ubuntu".*AllowTcpForwarding no/);
    return true;
  });
  assert.deepEqual(forwards.list(), []);
  await waitFor(() => pool.size === 0, 'the connection let go');
});

test('RDP on a private Windows instance: an endpoint tunnel to 3389, no SSH, bytes both ways', async () => {
  const rdp = instanceNamed(sandbox, 'rdp-windows');
  const instance = await pool.connector.resolveInstance(ref(rdp));
  const f = await forwards.openEndpointTunnel({ instance, remotePort: 3389, local: { host: '127.0.0.1', port: 0 } });
  assert.equal(f.kind, 'endpoint');
  assert.equal(f.remote.port, 3389);
  assert.equal(f.remote.host, rdp.privateIp);
  const pushesBefore = pushesTo(rdp);
  const expected = `RDP sandbox ${rdp.instanceId}\r\nping\r\n`;
  assert.equal(await converse(local(f), 'ping\r\n', expected), expected);
  assert.equal(pushesTo(rdp), pushesBefore, 'no key pushed: no SSH involved');
  assert.equal(pool.size, 0);
  assert.equal(f.connections.total, 1);
});
