import assert from 'node:assert/strict';
import { type AddressInfo, createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';

import { silentLogger } from '../../src/core/base/log';
import { type ProxySteps, type ProxyTarget, runProxy } from '../../src/core/connect/proxy';

function steps(target: Partial<ProxyTarget>, calls: string[], failPush?: Error): ProxySteps {
  return {
    resolve: async () => {
      calls.push('resolve');
      return { host: '127.0.0.1', port: 1, who: 'web (i-0123456789abcdef0) in us-east-1', user: 'ec2-user', ...target };
    },
    push: async () => {
      calls.push('push');
      if (failPush) throw failPush;
    },
    release: () => calls.push('release'),
    connectFailure: (err) => new Error(`mapped: ${(err as NodeJS.ErrnoException).code}`),
  };
}

test('resolves, pushes, releases the SDK clients, then relays to the SSH port', async (t) => {
  const calls: string[] = [];
  const server = createServer((conn) => {
    calls.push('connected');
    conn.pipe(conn);
  });
  t.after(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const input = new PassThrough();
  const output = new PassThrough();
  let echoed = '';
  output.on('data', (chunk: Buffer) => (echoed += chunk.toString()));
  const done = runProxy(steps({ port: (server.address() as AddressInfo).port }, calls), { input, output, log: silentLogger, connectTimeoutSeconds: 5 });
  input.end('SSH-2.0-OpenSSH_9.2\r\n');
  await done;
  assert.equal(echoed, 'SSH-2.0-OpenSSH_9.2\r\n');
  assert.deepEqual(calls, ['resolve', 'push', 'release', 'connected']);
});

test('a failed push connects nowhere, still releases, and passes the failure on', async () => {
  const calls: string[] = [];
  const refused = Object.assign(new Error('Instance is not in a valid state'), { name: 'EC2InstanceStateInvalidException' });
  const io = { input: new PassThrough(), output: new PassThrough(), log: silentLogger, connectTimeoutSeconds: 5 };
  await assert.rejects(runProxy(steps({}, calls, refused), io), refused);
  assert.deepEqual(calls, ['resolve', 'push', 'release']);
});

test('a TCP failure is described by the connect flow', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  const io = { input: new PassThrough(), output: new PassThrough(), log: silentLogger, connectTimeoutSeconds: 5 };
  await assert.rejects(runProxy(steps({ port }, []), io), /mapped: ECONNREFUSED/);
});
