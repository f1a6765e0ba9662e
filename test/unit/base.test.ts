import assert from 'node:assert/strict';
import { test } from 'node:test';

import { untilAborted } from '../../src/core/base/abort';
import { DisposableStore } from '../../src/core/base/disposable';
import { createLogger } from '../../src/core/base/log';

test('the root logger redacts every line, its children included, and children name their component', () => {
  const lines: string[] = [];
  const sink = { trace: (m: string) => lines.push(`trace ${m}`), debug: (m: string) => lines.push(`debug ${m}`), info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
  const root = createLogger(sink);
  const connect = root.child('connect');
  root.info('plain');
  connect.debug('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  connect.child('ssh').warn('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA\n-----END OPENSSH PRIVATE KEY-----');
  connect.info('instance \u001b]0;pwned\u0007evil\u202e named');
  assert.deepEqual(lines, ['info plain', 'debug [connect] aws_secret_access_key = [redacted]', 'warn [connect/ssh] [private key redacted]', 'info [connect] instance evil named']);
});

test('DisposableStore disposes what it holds once, newest first, even when one throws; added after dispose = disposed at once', () => {
  const order: string[] = [];
  const store = new DisposableStore();
  store.add({ dispose: () => order.push('a') });
  store.add({
    dispose: () => {
      order.push('b');
      throw new Error('b failed');
    },
  });
  store.addFunction(() => order.push('c'));
  assert.throws(() => store.dispose(), /b failed/);
  assert.deepEqual(order, ['c', 'b', 'a']);
  store.dispose();
  assert.deepEqual(order, ['c', 'b', 'a'], 'once');
  store.addFunction(() => order.push('late'));
  assert.deepEqual(order, ['c', 'b', 'a', 'late']);
});

test('untilAborted: a waiter stops waiting when its signal aborts, while the shared work goes on for the others', async () => {
  let finish!: (value: string) => void;
  const shared = new Promise<string>((resolve) => (finish = resolve));
  const first = new AbortController();
  const waiting = untilAborted(shared, first.signal);
  const other = untilAborted(shared, new AbortController().signal);
  first.abort();
  await assert.rejects(waiting, (err: Error) => err.name === 'AbortError');
  finish('image');
  assert.equal(await other, 'image');
  await assert.rejects(untilAborted(shared, AbortSignal.abort()), (err: Error) => err.name === 'AbortError');
  assert.equal(await untilAborted(shared, undefined), 'image');
});
