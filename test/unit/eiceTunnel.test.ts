import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';

import type { TunnelTarget } from '../../src/core/eice/presign';
import { maxFrameBytes, openTunnel, type TunnelSocket, TunnelStream } from '../../src/core/eice/tunnel';
import { isProductError } from '../../src/core/errors/productError';
import { recordingLog } from '../fakes/recordingLog';

/** A `ws` WebSocket as the tunnel sees it: what it sends is recorded, the test plays the endpoint's side. */
class FakeSocket extends EventEmitter implements TunnelSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: Buffer[] = [];
  closed?: { code?: number; reason?: string };
  terminated = false;
  paused = false;
  /** Send callbacks held back (holdSends) until flush(): a socket slower than the writer. */
  holdSends = false;
  private held: (() => void)[] = [];

  send(data: Buffer, options: { binary: boolean }, callback: (err?: Error) => void): void {
    assert.equal(options.binary, true);
    this.sent.push(Buffer.from(data));
    this.bufferedAmount += data.length;
    const done = () => {
      this.bufferedAmount -= data.length;
      callback();
    };
    if (this.holdSends) this.held.push(done);
    else setImmediate(done);
  }
  flush(): void {
    this.holdSends = false;
    for (const done of this.held.splice(0)) done();
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
    this.readyState = 2;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  /** The endpoint's close frame. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.emit('close', code, Buffer.from(reason));
  }
}

const target: TunnelTarget = { dnsName: 'eice-0123.abcd.ec2-instance-connect-endpoint.us-east-1.amazonaws.com', endpointId: 'eice-0123456789abcdef0', region: 'us-east-1', privateIp: '10.0.1.5', remotePort: 22 };
const who = 'db-internal (i-0123456789abcdef0) in us-east-1';

function tunnel(overrides: Partial<TunnelTarget> = {}) {
  const socket = new FakeSocket();
  const stream = new TunnelStream(socket, { target: { ...target, ...overrides }, who }, recordingLog());
  return { socket, stream };
}

function errorOf(stream: TunnelStream): Promise<Error> {
  return new Promise((resolve) => stream.once('error', resolve));
}

test('a 200 KB write leaves as binary frames of at most 65,000 bytes, in order', async () => {
  const { socket, stream } = tunnel();
  const bytes = Buffer.alloc(200 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
  await new Promise<void>((resolve, reject) => stream.write(bytes, (err) => (err ? reject(err) : resolve())));
  assert.deepEqual(socket.sent.map((frame) => frame.length), [65_000, 65_000, 65_000, 9_800]);
  assert.ok(socket.sent.every((frame) => frame.length <= maxFrameBytes));
  assert.ok(Buffer.concat(socket.sent).equals(bytes));
});

test('a socket that has not taken what was sent holds the writer back (backpressure), then lets it go', async () => {
  const { socket, stream } = tunnel();
  socket.holdSends = true;
  const chunk = Buffer.alloc(64 * 1024);
  let writes = 0;
  while (stream.write(chunk)) writes++;
  // Writing on after write() said false is the caller's fault; a bulk copy (pipe) waits for 'drain'.
  assert.ok(writes < 4, `write() returned true ${writes} times`);
  assert.ok(socket.bufferedAmount <= 2 * chunk.length, `${socket.bufferedAmount} bytes handed to the socket`);
  const drained = new Promise((resolve) => stream.once('drain', resolve));
  socket.flush();
  await drained;
  assert.equal(socket.bufferedAmount, 0);
});

test("the endpoint's binary frames are the readable side; a reader that falls behind pauses the socket", async () => {
  const { socket, stream } = tunnel();
  socket.emit('message', Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'), true);
  assert.equal((stream.read() as Buffer).toString(), 'SSH-2.0-OpenSSH_9.6\r\n');
  for (let i = 0; i < 8; i++) socket.emit('message', Buffer.alloc(8 * 1024), true);
  assert.equal(socket.paused, true);
  stream.read();
  assert.equal(socket.paused, false);
});

test('a text frame is a protocol error: the stream is destroyed with a ProductError', async () => {
  const { socket, stream } = tunnel();
  const failed = errorOf(stream);
  socket.emit('message', Buffer.from('hello'), false);
  const err = await failed;
  assert.ok(isProductError(err, 'tunnelClosed'));
  assert.match(err.message, /sent text instead of the bytes/);
  assert.equal(socket.terminated, true);
  assert.equal((await stream.ended).kind, 'error');
});

test('a close with 1000 ends the readable side normally', async () => {
  const { socket, stream } = tunnel();
  stream.resume();
  const ended = new Promise((resolve) => stream.once('end', resolve));
  socket.serverClose(1000);
  await ended;
  assert.deepEqual(await stream.ended, { kind: 'closed', code: 1000, reason: '' });
});

test("a close with 1011 destroys the stream with tunnelClosed and the endpoint's reason", async () => {
  const { socket, stream } = tunnel();
  const failed = errorOf(stream);
  socket.serverClose(1011, 'Unable to connect to target');
  const err = await failed;
  assert.ok(isProductError(err, 'tunnelClosed'));
  assert.match(err.message, /closed the tunnel to db-internal \(i-0123456789abcdef0\) in us-east-1 \(code 1011\): "Unable to connect to target"/);
  assert.match(err.message, /security group must allow that port/);
  assert.deepEqual({ code: err.facts.code, reason: err.facts.reason, endpointId: err.facts.endpointId }, { code: 1011, reason: 'Unable to connect to target', endpointId: 'eice-0123456789abcdef0' });
});

test('a close at the maximum duration is tunnelExpired, whatever the code', async () => {
  for (const code of [1000, 1001, 1011]) {
    // A 1-second tunnel: any close is at (or past) its duration less the 2-second margin.
    const { socket, stream } = tunnel({ maxTunnelDurationSeconds: 1 });
    const failed = errorOf(stream);
    socket.serverClose(code, 'Tunnel duration exceeded');
    const err = await failed;
    assert.ok(isProductError(err, 'tunnelExpired'), `${code}: ${err.message}`);
    assert.match(err.message, /closed the tunnel to db-internal .* after its maximum duration of 1 seconds/);
    assert.deepEqual(await stream.ended, { kind: 'expired', seconds: 1 });
  }
});

test('a close about the connection limit is tunnelLimit', async () => {
  const { socket, stream } = tunnel();
  const failed = errorOf(stream);
  socket.serverClose(1008, 'Maximum number of connections exceeded');
  const err = await failed;
  assert.ok(isProductError(err, 'tunnelLimit'));
  assert.match(err.message, /allows 20 concurrent connections/);
});

test('end() closes the WebSocket with 1000; the endpoint answering 1000 is a normal end', async () => {
  const { socket, stream } = tunnel();
  stream.resume();
  stream.end();
  await new Promise((resolve) => stream.once('finish', resolve));
  assert.deepEqual(socket.closed, { code: 1000, reason: undefined });
  socket.serverClose(1000);
  assert.deepEqual(await stream.ended, { kind: 'closed', code: 1000, reason: '' });
});

test('a socket error after the open destroys the stream', async () => {
  const { socket, stream } = tunnel();
  const failed = errorOf(stream);
  socket.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  const err = await failed;
  assert.ok(isProductError(err, 'unreachable'));
  assert.match(err.message, /ECONNRESET/);
});

test('an aborted signal cancels before any socket is opened', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    openTunnel({ target, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, who, timeoutSeconds: 5, log: recordingLog(), signal: controller.signal, env: {} }),
    (err: unknown) => isProductError(err, 'cancelled'),
  );
});

test('a shorter limit than asked for (set by IAM) is known from the reason: tunnelExpired after the time it lasted', async () => {
  const { socket, stream } = tunnel();
  const failed = errorOf(stream);
  socket.serverClose(1001, 'Maximum tunnel duration reached');
  const err = await failed;
  assert.ok(isProductError(err, 'tunnelExpired'), err.message);
  assert.match(err.message, /after its maximum duration of 0 seconds/);
  const normal = tunnel();
  normal.socket.serverClose(1000, 'duration');
  assert.deepEqual(await normal.stream.ended, { kind: 'closed', code: 1000, reason: 'duration' });
});
