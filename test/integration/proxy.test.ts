import assert from 'node:assert/strict';
import { type AddressInfo, connect, createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';

import { silentLogger } from '../../src/core/base/log';
import { type ProxySteps, type ProxyTarget, runProxy } from '../../src/core/connect/proxy';

interface StepsOptions {
  failPush?: Error;
  failResolve?: Error;
  /** Holds the push until it resolves. */
  pushGate?: Promise<void>;
}

function steps(target: Partial<ProxyTarget>, calls: string[], options: StepsOptions = {}): ProxySteps {
  return {
    resolve: async () => {
      calls.push('resolve');
      if (options.failResolve) throw options.failResolve;
      return { host: '127.0.0.1', port: 1, who: 'web (i-0123456789abcdef0) in us-east-1', user: 'ec2-user', ...target };
    },
    push: async () => {
      calls.push('push');
      await options.pushGate;
      if (options.failPush) throw options.failPush;
      calls.push('pushed');
    },
    open: (t) =>
      new Promise((resolve, reject) => {
        calls.push('open');
        const socket = connect({ host: t.host, port: t.port });
        socket.once('connect', () => resolve(socket));
        socket.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`mapped: ${err.code}`)));
      }),
    release: () => calls.push('release'),
  };
}

const io = () => ({ input: new PassThrough(), output: new PassThrough(), log: silentLogger });

test('pushes beside the lookup, opens while the push is on its way, releases the SDK clients, then relays to the SSH port', async (t) => {
  const calls: string[] = [];
  const server = createServer((conn) => {
    calls.push('connected');
    conn.pipe(conn);
  });
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { input, output } = io();
  let echoed = '';
  output.on('data', (chunk: Buffer) => (echoed += chunk.toString()));
  const done = runProxy(steps({ port: (server.address() as AddressInfo).port }, calls), { input, output, log: silentLogger });
  input.end('SSH-2.0-OpenSSH_9.2\r\n');
  await done;
  assert.equal(echoed, 'SSH-2.0-OpenSSH_9.2\r\n');
  assert.deepEqual(calls.filter((c) => c !== 'pushed').slice(0, 3), ['push', 'resolve', 'open'], 'the push starts with the lookup, before it');
  assert.ok(calls.indexOf('release') > calls.indexOf('pushed'));
});

test('no byte of ssh reaches the instance before the key is pushed', async (t) => {
  const calls: string[] = [];
  let received = '';
  let receivedBeforePush = '';
  let pushed = false;
  const server = createServer((conn) => {
    conn.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (!pushed) receivedBeforePush += chunk.toString();
    });
    conn.on('end', () => conn.end());
  });
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let openPush!: () => void;
  const pushGate = new Promise<void>((resolve) => (openPush = resolve));
  const { input, output } = io();
  const done = runProxy(steps({ port: (server.address() as AddressInfo).port }, calls, { pushGate }), { input, output, log: silentLogger });
  input.write('SSH-2.0-OpenSSH_9.2\r\n');
  // The TCP connection is up long before this; the push is still held.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(calls.includes('open'));
  pushed = true;
  openPush();
  input.end();
  await done;
  assert.equal(receivedBeforePush, '');
  assert.equal(received, 'SSH-2.0-OpenSSH_9.2\r\n');
});

test('a failed push closes the connection it opened, still releases, and passes the failure on', async (t) => {
  const calls: string[] = [];
  let closed = false;
  const server = createServer((conn) => conn.on('close', () => (closed = true)));
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const refused = Object.assign(new Error('Instance is not in a valid state'), { name: 'EC2InstanceStateInvalidException' });
  await assert.rejects(runProxy(steps({ port: (server.address() as AddressInfo).port }, calls, { failPush: refused }), io()), refused);
  assert.deepEqual(calls, ['push', 'resolve', 'open', 'release']);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(closed, 'the connection opened meanwhile is closed');
});

test('a connect failure is described by the steps, after the push', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  await assert.rejects(runProxy(steps({ port }, []), io()), /mapped: ECONNREFUSED/);
});

test('a failed lookup wins over a failed push: it says more (a stopped instance, a wrong id), and nothing is opened', async () => {
  const calls: string[] = [];
  const stopped = Object.assign(new Error('web is stopped'), { name: 'ProductError' });
  const refused = Object.assign(new Error('Instance is not in a valid state'), { name: 'EC2InstanceStateInvalidException' });
  await assert.rejects(runProxy(steps({}, calls, { failPush: refused, failResolve: stopped }), io()), stopped);
  assert.deepEqual(calls, ['push', 'resolve', 'release']);
});
