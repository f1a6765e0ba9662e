import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ProductError } from '../../src/core/errors/productError';
import type { PtySize } from '../../src/core/ssh/channel';
import { type OpenChannelRequest, TerminalSession, type TerminalSessionHost } from '../../src/editor/terminal/terminalSession';
import { FakeChannel } from '../fakes/fakeChannel';

/** A terminal as the user sees it: the text written to it, whether and how it closed, the failures notified. */
class FakeTerminal implements TerminalSessionHost {
  text = '';
  closedWith: number | undefined | 'open' = 'open';
  failures: unknown[] = [];
  describe?: (err: unknown) => string;
  write(text: string): void {
    this.text += text;
  }
  close(exitCode?: number): void {
    this.closedWith = exitCode;
  }
  failed(err: unknown): void {
    this.failures.push(err);
  }
  /** The lines the session wrote itself (remote output is the test's own). */
  lines(): string[] {
    return this.text.split('\r\n');
  }
}

/** An opener that hands out fake channels (or failures) in order, and records each request. */
function opener(...results: (FakeChannel | Error)[]) {
  const requests: OpenChannelRequest[] = [];
  const open = async (request: OpenChannelRequest) => {
    requests.push(request);
    request.status(`Connecting to ec2-user@203.0.113.10 (i-0123456789abcdef0)… attempt ${request.attempt}`);
    const next = results.shift();
    if (!next) throw new Error('no more channels in this test');
    if (next instanceof Error) throw next;
    return next;
  };
  return { open, requests };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A session whose connection attempts each wait until the test calls release(): the window in which a
 * terminal is still connecting. Attempts hand out the results in order.
 */
function heldSession(...results: (FakeChannel | Error)[]) {
  const terminal = new FakeTerminal();
  const held: { release: () => void; signal?: AbortSignal } = { release: () => {} };
  const session = new TerminalSession(async (request) => {
    held.signal = request.signal;
    await new Promise<void>((resolve) => (held.release = resolve));
    const next = results.shift();
    if (!next) throw new Error('no more channels in this test');
    if (next instanceof Error) throw next;
    return next;
  }, terminal);
  return { terminal, session, held };
}

async function openSession(size: PtySize | undefined, ...results: (FakeChannel | Error)[]) {
  const terminal = new FakeTerminal();
  const { open, requests } = opener(...results);
  const session = new TerminalSession(open, terminal);
  session.open(size);
  await tick();
  return { terminal, session, requests };
}

test('connects on open with the terminal size, shows the status line, and passes input and output through', async () => {
  const channel = new FakeChannel();
  const { terminal, session, requests } = await openSession({ cols: 132, rows: 43 }, channel);
  assert.deepEqual(requests[0].size, { cols: 132, rows: 43 });
  assert.equal(terminal.text, 'Connecting to ec2-user@203.0.113.10 (i-0123456789abcdef0)… attempt 0\r\n');
  assert.equal(session.state, 'open');

  session.input('ls -la\r');
  session.input('\x03');
  assert.deepEqual(channel.written, ['ls -la\r', '\x03']);

  channel.output('total 0\r\n$ ');
  assert.ok(terminal.text.endsWith('total 0\r\n$ '), 'output as is');
});

test('a terminal without known dimensions gets 80x24', async () => {
  const { requests } = await openSession(undefined, new FakeChannel());
  assert.deepEqual(requests[0].size, { cols: 80, rows: 24 });
});

test('UTF-8 characters split across chunks come out whole', async () => {
  const channel = new FakeChannel();
  const { terminal } = await openSession({ cols: 80, rows: 24 }, channel);
  const before = terminal.text.length;
  const bytes = Buffer.from('é€😀', 'utf8');
  for (const byte of bytes) channel.output(Buffer.from([byte]));
  assert.equal(terminal.text.slice(before), 'é€😀');
});

test('resizes are forwarded, also one that came while connecting', async () => {
  const channel = new FakeChannel();
  const { session, held } = heldSession(channel);
  session.open({ cols: 80, rows: 24 });
  session.resize({ cols: 100, rows: 30 });
  held.release();
  await tick();
  assert.deepEqual(channel.resizes, [{ cols: 100, rows: 30 }]);
  session.resize({ cols: 120, rows: 40 });
  assert.deepEqual(channel.resizes.at(-1), { cols: 120, rows: 40 });
});

test('keys typed while connecting are sent once the shell is open, not lost', async () => {
  const channel = new FakeChannel();
  const { session, held } = heldSession(channel);
  session.open({ cols: 80, rows: 24 });
  session.input('who');
  session.input('ami\r');
  assert.deepEqual(channel.written, []);
  held.release();
  await tick();
  assert.equal(channel.written.join(''), 'whoami\r');
  session.input('ls\r');
  assert.equal(channel.written.join(''), 'whoami\rls\r');
});

test('keys typed before a failed attempt are dropped, not sent to the next connection', async () => {
  const channel = new FakeChannel();
  const { session, held } = heldSession(new Error('timed out'), channel);
  session.open({ cols: 80, rows: 24 });
  session.input('rm -rf build');
  held.release();
  await tick();
  assert.equal(session.state, 'failed');
  session.input('\r');
  held.release();
  await tick();
  assert.equal(session.state, 'open');
  assert.deepEqual(channel.written, []);
});

test('the shell exiting closes the terminal with its exit code', async () => {
  const channel = new FakeChannel();
  const { terminal, session } = await openSession({ cols: 80, rows: 24 }, channel);
  channel.output('logout\r\n');
  channel.end({ kind: 'exit', code: 3 });
  assert.equal(terminal.closedWith, 3);
  assert.equal(session.state, 'closed');
  session.input('x');
  assert.deepEqual(channel.written, [], 'no input after the end');
});

test('a dropped connection prints the reason and "Press Enter to reconnect"; Enter reconnects with a new channel', async () => {
  const first = new FakeChannel();
  const second = new FakeChannel();
  const { terminal, session, requests } = await openSession({ cols: 80, rows: 24 }, first, second);
  first.output('[ec2-user@ip-10-0-0-1 ~]$ ');
  const lost = new ProductError('connectionLost', 'The connection to web (i-0123456789abcdef0) in us-east-1 at 203.0.113.10 port 22 was lost: the connection was reset.');
  first.end({ kind: 'lost', error: lost });
  assert.equal(session.state, 'disconnected');
  assert.equal(terminal.closedWith, 'open', 'the terminal stays');
  assert.ok(terminal.text.includes(`$ \r\n${lost.message}\r\nPress Enter to reconnect, or close this terminal.\r\n`), JSON.stringify(terminal.text));
  assert.deepEqual(terminal.failures, [], 'a drop is shown in the terminal, not as a notification');

  session.input('x');
  assert.equal(requests.length, 1, 'other keys do nothing');
  session.resize({ cols: 90, rows: 20 });
  session.input('\r');
  await tick();
  assert.equal(requests.length, 2);
  assert.equal(requests[1].attempt, 1);
  assert.deepEqual(requests[1].size, { cols: 90, rows: 20 }, 'the reconnect uses the current size');
  assert.equal(session.state, 'open');
  session.input('whoami\r');
  assert.deepEqual(second.written, ['whoami\r']);
  assert.deepEqual(first.written, [], 'nothing goes to the dead channel');
});

test('a failed connection is written to the terminal and reported; Enter or the host retries', async () => {
  const refused = new ProductError('authRefused', 'web refused the key pushed for the user "ubuntu".');
  const channel = new FakeChannel();
  const { terminal, session, requests } = await openSession({ cols: 80, rows: 24 }, refused, channel);
  assert.equal(session.state, 'failed');
  assert.deepEqual(terminal.failures, [refused]);
  assert.ok(terminal.lines().includes(refused.message));
  assert.ok(terminal.lines().includes('Press Enter to try again, or close this terminal.'));

  session.reconnect();
  await tick();
  assert.equal(requests.length, 2);
  assert.equal(session.state, 'open');
  session.reconnect();
  assert.equal(requests.length, 2, 'reconnect does nothing while open');
});

test('the host can word failures for the terminal', async () => {
  const terminal = new FakeTerminal();
  terminal.describe = () => 'Access denied: IAM does not allow ec2-instance-connect:SendSSHPublicKey.';
  const session = new TerminalSession(async () => {
    throw Object.assign(new Error('raw'), { name: 'AuthException' });
  }, terminal);
  session.open({ cols: 80, rows: 24 });
  await tick();
  assert.ok(terminal.lines().includes('Access denied: IAM does not allow ec2-instance-connect:SendSSHPublicKey.'));
});

test('cancelling (an OS user pick dismissed) closes the terminal without a failure', async () => {
  const { terminal, session } = await openSession({ cols: 80, rows: 24 }, new ProductError('cancelled', 'Cancelled.'));
  assert.equal(terminal.closedWith, undefined);
  assert.equal(session.state, 'closed');
  assert.deepEqual(terminal.failures, []);
});

test('closing the terminal aborts a connection in progress and closes a channel that arrives late', async () => {
  const channel = new FakeChannel();
  const { terminal, session, held } = heldSession(channel);
  session.open({ cols: 80, rows: 24 });
  session.close();
  assert.equal(held.signal?.aborted, true);
  held.release();
  await tick();
  assert.equal(channel.closed, true);
  assert.deepEqual(terminal.failures, []);
});

test('closing an open terminal closes its channel, and a late end changes nothing', async () => {
  const channel = new FakeChannel();
  const { terminal, session } = await openSession({ cols: 80, rows: 24 }, channel);
  session.close();
  assert.equal(channel.closed, true);
  channel.end({ kind: 'exit', code: 0 });
  assert.equal(terminal.closedWith, 'open', 'VS Code closed it already; no second close');
});

test('every line the session writes itself ends in \\r\\n, also multi-line messages', async () => {
  const multi = new ProductError('timeout', 'first line\nsecond line');
  const { terminal } = await openSession({ cols: 80, rows: 24 }, multi);
  assert.ok(terminal.text.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(terminal.text), JSON.stringify(terminal.text));
});

test('several sessions are independent', async () => {
  const a = new FakeChannel();
  const b = new FakeChannel();
  const one = await openSession({ cols: 80, rows: 24 }, a);
  const two = await openSession({ cols: 80, rows: 24 }, b);
  one.session.input('a');
  two.session.input('b');
  a.end({ kind: 'exit', code: 0 });
  assert.deepEqual([a.written, b.written], [['a'], ['b']]);
  assert.equal(one.terminal.closedWith, 0);
  assert.equal(two.session.state, 'open');
});

test('control characters in messages (a Name tag with escape sequences) do not reach the terminal', async () => {
  const hostile = new ProductError('timeout', 'evil\x1b]0;pwned\x07\x1b[2J\u202e (i-0123456789abcdef0) did not answer\r');
  const { terminal } = await openSession({ cols: 80, rows: 24 }, hostile);
  assert.ok(!terminal.text.includes('\x1b') && !terminal.text.includes('\x07'), JSON.stringify(terminal.text));
  // The sequences go whole: nothing of the title they would set is left either.
  assert.ok(terminal.lines().includes('evil (i-0123456789abcdef0) did not answer'), JSON.stringify(terminal.lines()));
});
