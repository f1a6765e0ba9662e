import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { type AddressInfo, connect as netConnect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { WebSocketServer } from 'ws';

import type { TunnelTarget } from '../../src/core/eice/presign';
import { openTunnel, type OpenTunnelOptions, type TunnelStream } from '../../src/core/eice/tunnel';
import { isProductError } from '../../src/core/errors/productError';
import { recordingLog } from '../fakes/recordingLog';

/**
 * openTunnel against a real endpoint of its own: a `ws` server over HTTPS on loopback with a certificate made
 * here for "localhost", which echoes binary frames, and answers some handshakes as the endpoint refuses them.
 */

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN' };
let dir: string;
let ca: Buffer;
let server: Server;
let port: number;
const upgrades: { url: string; host?: string }[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eice-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { stdio: 'ignore' },
  );
  ca = readFileSync(join(dir, 'cert.pem'));
  server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: ca });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    upgrades.push({ url: req.url ?? '', host: req.headers.host });
    const query = new URL(req.url ?? '/', 'https://localhost').searchParams;
    if (query.get('remotePort') === '2222') {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nx-amzn-RequestId: 11111111-2222-3333-4444-555555555555\r\nConnection: close\r\n\r\n' +
          JSON.stringify({ ErrorCode: 'AccessDenied', Message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ec2-instance-connect:OpenTunnel' }),
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function target(overrides: Partial<TunnelTarget> = {}): TunnelTarget {
  return { dnsName: `localhost:${port}`, endpointId: 'eice-0123456789abcdef0', region: 'us-east-1', privateIp: '10.0.1.5', remotePort: 22, ...overrides };
}

function options(overrides: Partial<OpenTunnelOptions> = {}): OpenTunnelOptions & { log: ReturnType<typeof recordingLog> } {
  return { target: target(), credentials, who: 'db-internal (i-0123456789abcdef0) in us-east-1', timeoutSeconds: 5, log: recordingLog(), ca, env: {}, ...overrides } as never;
}

async function roundTrip(stream: TunnelStream, bytes: Buffer): Promise<Buffer> {
  const received: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      received.push(chunk);
      size += chunk.length;
      if (size >= bytes.length) resolve(Buffer.concat(received));
    });
    stream.on('error', reject);
    stream.write(bytes);
  });
}

test('bytes go through the tunnel and back, over TLS to the endpoint, signed with a fresh URL; the log holds no secret', async () => {
  const opts = options();
  const stream = await openTunnel(opts);
  const bytes = Buffer.alloc(300_000, 7).fill('SSH-2.0-OpenSSH_9.6\r\n', 0, 21);
  const echoed = await roundTrip(stream, bytes);
  assert.ok(echoed.equals(bytes));
  stream.end();
  assert.deepEqual(await stream.ended, { kind: 'closed', code: 1000, reason: '' });
  const last = new URL(upgrades.at(-1)?.url ?? '', 'https://x');
  assert.equal(last.pathname, '/openTunnel');
  assert.equal(last.searchParams.get('instanceConnectEndpointId'), 'eice-0123456789abcdef0');
  assert.equal(last.searchParams.get('X-Amz-Security-Token'), credentials.sessionToken);
  const log = opts.log.lines.join('\n');
  assert.match(log, /localhost:\d+/);
  for (const secret of [credentials.secretAccessKey, credentials.sessionToken, last.searchParams.get('X-Amz-Signature') ?? 'none', 'X-Amz-']) {
    assert.ok(!log.includes(secret), `the log holds ${secret}`);
  }
});

test('a 403 handshake is tunnelDenied with AWS\'s message, naming OpenTunnel on the endpoint; the request id is logged', async () => {
  const opts = options({ target: target({ remotePort: 2222 }) });
  await assert.rejects(openTunnel(opts), (err: unknown) => {
    assert.ok(isProductError(err, 'tunnelDenied'), String(err));
    assert.match(err.message, /ec2-instance-connect:OpenTunnel on eice-0123456789abcdef0/);
    assert.match(err.message, /AWS said: "User: arn:aws:iam::123456789012:user\/dev is not authorized/);
    assert.equal(err.facts.errorCode, 'AccessDenied');
    assert.equal(err.facts.requestId, '11111111-2222-3333-4444-555555555555');
    return true;
  });
  assert.match(opts.log.lines.join('\n'), /HTTP 403, request id 11111111-2222-3333-4444-555555555555/);
});

test('without the certificate trusted, the TLS failure is tlsFailure naming the host and NODE_EXTRA_CA_CERTS', async () => {
  await assert.rejects(openTunnel(options({ ca: undefined })), (err: unknown) => {
    assert.ok(isProductError(err, 'tlsFailure'), String(err));
    assert.match(err.message, new RegExp(`localhost:${port}`));
    assert.match(err.message, /NODE_EXTRA_CA_CERTS/);
    return true;
  });
});

test('HTTPS_PROXY is honoured (HTTP CONNECT to the endpoint), and NO_PROXY bypasses it', async (t) => {
  const connects: string[] = [];
  const proxy = createHttpServer();
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    const [host, targetPort] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(targetPort), host === 'localhost' ? '127.0.0.1' : host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    proxy.closeAllConnections();
    proxy.close();
  });
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const viaProxy = options({ env: { HTTPS_PROXY: proxyUrl } });
  const stream = await openTunnel(viaProxy);
  assert.ok((await roundTrip(stream, Buffer.from('through the proxy'))).equals(Buffer.from('through the proxy')));
  stream.end();
  await stream.ended;
  assert.deepEqual(connects, [`localhost:${port}`]);
  assert.match(viaProxy.log.lines.join('\n'), /via proxy 127\.0\.0\.1:\d+/);

  const bypass = await openTunnel(options({ env: { https_proxy: proxyUrl, NO_PROXY: 'example.com,localhost' } }));
  assert.ok((await roundTrip(bypass, Buffer.from('direct'))).equals(Buffer.from('direct')));
  bypass.end();
  await bypass.ended;
  assert.equal(connects.length, 1, 'NO_PROXY sent the second tunnel straight to the endpoint');
});

test('an endpoint that never answers is a timeout naming its DNS name; the signal cancels a pending open', async (t) => {
  const silent = createNetServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => silent.close());
  const silentTarget = target({ dnsName: `localhost:${(silent.address() as AddressInfo).port}` });
  await assert.rejects(openTunnel(options({ target: silentTarget, timeoutSeconds: 1 })), (err: unknown) => {
    assert.ok(isProductError(err, 'timeout'), String(err));
    assert.match(err.message, /^localhost:\d+ \(EC2 Instance Connect Endpoint eice-0123456789abcdef0\) did not answer within 1 second\./);
    return true;
  });
  const controller = new AbortController();
  const pending = openTunnel(options({ target: silentTarget, timeoutSeconds: 30, signal: controller.signal }));
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, (err: unknown) => isProductError(err, 'cancelled'));
});

test('the signal destroys an open tunnel', async () => {
  const controller = new AbortController();
  const stream = await openTunnel(options({ signal: controller.signal }));
  const failed = new Promise<Error>((resolve) => stream.once('error', resolve));
  controller.abort();
  assert.ok(isProductError(await failed, 'cancelled'));
  assert.equal((await stream.ended).kind, 'error');
});
