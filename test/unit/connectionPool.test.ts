import assert from 'node:assert/strict';
import { test } from 'node:test';

import { silentLogger } from '../../src/core/base/log';
import { ConnectionPool } from '../../src/core/connect/connectionPool';
import type { Connector, ConnectRequest, ConnectTarget } from '../../src/core/connect/connector';
import { ProductError } from '../../src/core/errors/productError';
import type { SshConnection } from '../../src/core/ssh/session';

/** A connection as the pool sees it: it can be ended, or lost. */
class FakeConnection {
  ended = false;
  private listeners: ((reason: unknown) => void)[] = [];
  get closed() {
    return this.ended;
  }
  onClose(listener: (reason: unknown) => void) {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }
  lostError(reason: unknown) {
    return new ProductError('connectionLost', `lost: ${String(reason)}`);
  }
  end() {
    this.lose(undefined);
  }
  lose(reason: unknown) {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.listeners.splice(0)) listener(reason);
  }
}

function fakeConnector() {
  const opened: FakeConnection[] = [];
  const gates: (() => void)[] = [];
  let failNext: Error | undefined;
  const connector = {
    resolveTarget: async (request: ConnectRequest): Promise<ConnectTarget> => ({
      instance: { instanceId: request.instance.instanceId, region: request.instance.region, state: 'running' } as ConnectTarget['instance'],
      host: '192.0.2.1',
      port: 22,
      addressKind: 'public IPv4',
      connectionType: 'auto',
      osUser: request.osUser ?? 'ec2-user',
      osUserSource: request.osUser ? 'given' : 'default',
    }),
    connectTo: () =>
      new Promise<SshConnection>((resolve, reject) => {
        const failure = failNext;
        failNext = undefined;
        gates.push(() => {
          if (failure) return reject(failure);
          const connection = new FakeConnection();
          opened.push(connection);
          resolve(connection as unknown as SshConnection);
        });
      }),
  };
  return {
    connector: connector as unknown as Connector,
    opened,
    /** Lets the pending connections finish. */
    open: async () => {
      for (const gate of gates.splice(0)) gate();
      await new Promise((resolve) => setImmediate(resolve));
    },
    failNext: (err: Error) => (failNext = err),
  };
}

const web = { instance: { instanceId: 'i-0123456789abcdef0', region: 'us-east-1' } };

test('requests for one instance and user while it connects wait for the same connection; another user gets its own', async () => {
  const fake = fakeConnector();
  const pool = new ConnectionPool({ connector: fake.connector, lingerSeconds: 0, log: silentLogger });
  const first = pool.acquire(web);
  const second = pool.acquire(web);
  const other = pool.acquire({ ...web, osUser: 'admin' });
  await new Promise((resolve) => setImmediate(resolve));
  await fake.open();
  const [a, b, c] = await Promise.all([first, second, other]);
  assert.equal(fake.opened.length, 2);
  assert.equal(a.connection, b.connection);
  assert.notEqual(a.connection, c.connection);
  assert.equal(pool.size, 2);
});

test('the connection ends only when its last holder releases it, after the linger; a request meanwhile keeps it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fake = fakeConnector();
  const pool = new ConnectionPool({ connector: fake.connector, lingerSeconds: 10, log: silentLogger });
  const pending = [pool.acquire(web), pool.acquire(web)];
  await new Promise((resolve) => setImmediate(resolve));
  await fake.open();
  const [a, b] = await Promise.all(pending);
  a.release();
  a.release(); // idempotent
  t.mock.timers.tick(60_000);
  assert.equal(fake.opened[0].ended, false, 'still held by the other');
  b.release();
  t.mock.timers.tick(9_000);
  assert.equal(fake.opened[0].ended, false, 'lingering');
  const again = await pool.acquire(web);
  assert.equal(again.connection, a.connection, 'reused while lingering');
  t.mock.timers.tick(60_000);
  assert.equal(fake.opened[0].ended, false);
  again.release();
  t.mock.timers.tick(10_000);
  assert.equal(fake.opened[0].ended, true, 'ended after the linger');
  assert.equal(pool.size, 0);
});

test('a lost connection tells its holders once and is replaced by a fresh one on the next request', async () => {
  const fake = fakeConnector();
  const pool = new ConnectionPool({ connector: fake.connector, lingerSeconds: 0, log: silentLogger });
  const pending = pool.acquire(web);
  await new Promise((resolve) => setImmediate(resolve));
  await fake.open();
  const lease = await pending;
  const lost: string[] = [];
  lease.onLost((err) => lost.push(err.message));
  fake.opened[0].lose(new Error('reset'));
  assert.deepEqual(lost, ['lost: Error: reset']);
  assert.equal(pool.size, 0);
  lease.release(); // after a loss: nothing happens

  const next = pool.acquire(web);
  await new Promise((resolve) => setImmediate(resolve));
  await fake.open();
  assert.notEqual((await next).connection, lease.connection);
  assert.equal(fake.opened.length, 2);
});

test('a failed connection is not kept, and a caller that gives up does not cancel it for the others', async () => {
  const fake = fakeConnector();
  const pool = new ConnectionPool({ connector: fake.connector, lingerSeconds: 0, log: silentLogger });
  fake.failNext(new ProductError('authRefused', 'refused'));
  const failing = assert.rejects(pool.acquire(web), /refused/);
  await new Promise((resolve) => setImmediate(resolve));
  await fake.open();
  await failing;
  assert.equal(pool.size, 0);

  const controller = new AbortController();
  const leaving = assert.rejects(pool.acquire({ ...web, signal: controller.signal }), { name: 'AbortError' });
  const staying = pool.acquire(web);
  await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await leaving;
  await fake.open();
  const lease = await staying;
  assert.equal(lease.connection.closed, false);
  lease.release();
  assert.equal(fake.opened[0].ended, true, 'ended once the one who stayed released it');
});
