import assert from 'node:assert/strict';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';

import { silentLogger } from '../../src/core/base/log';
import { MemoryStore } from '../../src/core/base/store';
import { isProductError } from '../../src/core/errors/productError';
import type { ChannelEnd } from '../../src/core/ssh/channel';
import { HostKeyTrust } from '../../src/core/ssh/hostKeys';
import { KeyFactory } from '../../src/core/ssh/keys';
import { openSshConnection, type SshChannel, type SshConnectOptions } from '../../src/core/ssh/session';
import { isAuthFailure } from '../../src/core/ssh/sshErrors';
import { TestSshServer } from '../fakes/sshServer';

const keys = new KeyFactory();
let server: TestSshServer;

before(async () => {
  server = await new TestSshServer().start();
});
after(() => server.stop());

function options(overrides: Partial<SshConnectOptions> = {}, port = server.port): SshConnectOptions & { publicKey: string } {
  const key = keys.generate('ed25519');
  return {
    endpoint: { who: 'web (i-0123456789abcdef0) in us-east-1', host: '127.0.0.1', port, addressKind: 'public IPv4', user: 'ec2-user' },
    privateKey: key.privateKey,
    publicKey: key.publicKey,
    readyTimeoutSeconds: 5,
    keepaliveIntervalSeconds: 15,
    verifyHostKey: async () => {},
    log: silentLogger,
    ...overrides,
  };
}

/** Everything a channel prints, and how it ended. */
function collect(channel: SshChannel): Promise<{ stdout: string; stderr: string; end: ChannelEnd }> {
  let stdout = '';
  let stderr = '';
  return new Promise((resolve) => {
    channel.onData((data, stream) => {
      if (stream === 'stdout') stdout += data.toString();
      else stderr += data.toString();
    });
    channel.onEnd((end) => resolve({ stdout, stderr, end }));
  });
}

test('a pushed key logs in; a command prints the user, stderr stays apart, the exit status comes back', async () => {
  const opts = options();
  server.authorize('ec2-user', opts.publicKey);
  const connection = await openSshConnection(opts);
  assert.deepEqual(await collect(await connection.exec('whoami')), { stdout: 'ec2-user\n', stderr: '', end: { kind: 'exit', code: 0, signal: undefined } });

  const again = await openSshConnection(opts);
  const { end } = await collect(await again.exec('exit 7'));
  assert.deepEqual(end, { kind: 'exit', code: 7, signal: undefined });

  const third = await openSshConnection(opts);
  const err = await collect(await third.exec('echo-stderr'));
  assert.equal(err.stderr, 'to stderr\n');
});

test('the host key is trusted on first use; a changed one stops the connection before authentication', async () => {
  const trust = new HostKeyTrust(new MemoryStore());
  const verifyHostKey: SshConnectOptions['verifyHostKey'] = async (key) => {
    await trust.verify('i-0123456789abcdef0', 'web (i-0123456789abcdef0) in us-east-1', key);
  };
  const opts = options({ verifyHostKey });
  server.authorize('ec2-user', opts.publicKey);
  (await openSshConnection(opts)).end();
  const stored = trust.get('i-0123456789abcdef0');
  assert.ok(stored?.fingerprint.startsWith('SHA256:'));

  await trust.trust('i-0123456789abcdef0', { fingerprint: 'SHA256:somethingElseEntirely', type: 'ed25519' });
  const attempts = server.authAttempts;
  await assert.rejects(openSshConnection(opts), (err: unknown) => {
    assert.ok(isProductError(err, 'hostKeyChanged'), String(err));
    assert.ok(err.message.includes('SHA256:somethingElseEntirely') && err.message.includes(stored!.fingerprint));
    return true;
  });
  assert.equal(server.authAttempts, attempts, 'no key was offered to a host that failed verification');
});

test('a refused key is offered again on the same connection after onKeyRefused makes it acceptable', async () => {
  const opts = options();
  const refusals: number[] = [];
  const connection = await openSshConnection({
    ...opts,
    onKeyRefused: async (count) => {
      refusals.push(count);
      server.authorize('ec2-user', opts.publicKey);
      return true;
    },
  });
  assert.deepEqual(refusals, [1]);
  assert.equal((await collect(await connection.exec('whoami'))).stdout, 'ec2-user\n');
});

test('a key refused again fails with an authentication error; onKeyRefused decides how often to retry', async () => {
  const opts = options();
  const refusals: number[] = [];
  await assert.rejects(
    openSshConnection({ ...opts, onKeyRefused: async (count) => (refusals.push(count), count < 2) }),
    (err: unknown) => isAuthFailure(err),
  );
  assert.deepEqual(refusals, [1, 2]);
  await assert.rejects(openSshConnection(options()), (err: unknown) => isAuthFailure(err), 'without onKeyRefused the first refusal fails');
});

test('an error while making the key acceptable again (the push failing) is the error the connection fails with', async () => {
  const pushFailure = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  await assert.rejects(
    openSshConnection({ ...options(), onKeyRefused: async () => Promise.reject(pushFailure) }),
    (err: unknown) => err === pushFailure,
  );
});

test('a closed port: unreachable, naming address and port and why', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(openSshConnection(options({}, port)), (err: unknown) => {
    assert.ok(isProductError(err, 'unreachable'), String(err));
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1 port ${port} \\(public IPv4\\)`));
    assert.match(err.message, /refused/);
    return true;
  });
});

test('a server that never answers the handshake: timeout after readyTimeout, naming address and port', async () => {
  const silent: Server = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  try {
    await assert.rejects(openSshConnection(options({ readyTimeoutSeconds: 1 }, port)), (err: unknown) => {
      assert.ok(isProductError(err, 'timeout'), String(err));
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1 port ${port}`));
      assert.match(err.message, /within 1 seconds/);
      return true;
    });
  } finally {
    silent.close();
  }
});

test('aborting while connecting rejects with cancelled', async () => {
  const controller = new AbortController();
  const opts = options({ signal: controller.signal });
  server.authorize('ec2-user', opts.publicKey);
  const pending = openSshConnection(opts);
  controller.abort();
  await assert.rejects(pending, (err: unknown) => isProductError(err, 'cancelled'));
});

test('a shell gets xterm-256color and the size; resizes reach the server; a drop ends it as lost', async () => {
  const opts = options();
  server.authorize('ec2-user', opts.publicKey);
  const connection = await openSshConnection(opts);
  const shell = await connection.shell({ cols: 120, rows: 40 });
  assert.deepEqual(server.ptys.at(-1), { term: 'xterm-256color', cols: 120, rows: 40 });
  const result = collect(shell);
  shell.resize({ cols: 100, rows: 30 });
  shell.write('stty size\r');
  await waitFor(() => server.resizes.length > 0);
  assert.deepEqual(server.resizes.at(-1), { cols: 100, rows: 30 });
  server.drop();
  const { end } = await result;
  assert.equal(end.kind, 'lost');
  assert.ok(end.kind === 'lost' && isProductError(end.error, 'connectionLost'));
  assert.match(end.kind === 'lost' ? end.error.message : '', /web \(i-0123456789abcdef0\) in us-east-1 at 127\.0\.0\.1 port \d+ was lost/);
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), 'condition not met in 2 s');
}

test('each stage has its own deadline: the wait for the key push counts against none, a slow authentication is named', async () => {
  // The push takes longer than the whole connect timeout: the handshake's deadline must not count it.
  const slowPush = options({ readyTimeoutSeconds: 1 });
  let pushed!: () => void;
  const keyAuthorized = new Promise<void>((resolve) => (pushed = resolve));
  const connecting = openSshConnection({ ...slowPush, keyAuthorized });
  setTimeout(() => {
    server.authorize('ec2-user', slowPush.publicKey);
    pushed();
  }, 1500);
  (await connecting).end();

  // The instance answering the key slowly: the authentication stage, not the handshake nor the network.
  const slowAuth = options({ readyTimeoutSeconds: 1 });
  server.authorize('ec2-user', slowAuth.publicKey);
  server.authDelayMs = 1500;
  try {
    await assert.rejects(openSshConnection(slowAuth), (err: unknown) => {
      assert.ok(isProductError(err, 'timeout'), String(err));
      assert.equal(err.facts.stage, 'authentication');
      assert.match(err.message, /took more than 1 seconds to accept the key for "ec2-user" at 127\.0\.0\.1 port \d+ \(public IPv4\), after the SSH handshake and the key push had finished/);
      assert.doesNotMatch(err.message, /did not answer|handshake did not finish/);
      return true;
    });
  } finally {
    server.authDelayMs = 0;
  }
});
