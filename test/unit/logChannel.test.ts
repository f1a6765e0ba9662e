import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createLogger } from '../../src/core/base/log';
import { LogChannel, type OutputChannelSink } from '../../src/editor/services/logChannel';

/** An output channel that, like the editor's, throws when written to once disposed. */
function outputChannel() {
  const lines: string[] = [];
  let disposed = false;
  const write = (level: string) => (line: string) => {
    if (disposed) throw new Error('Channel has been closed');
    lines.push(`${level} ${line}`);
  };
  const channel: OutputChannelSink = {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    dispose: () => void (disposed = true),
  };
  return { channel, lines, disposed: () => disposed };
}

test('the log writes to its output channel until the channel is disposed, then drops lines instead of throwing', () => {
  const { channel, lines, disposed } = outputChannel();
  const logChannel = new LogChannel(channel);
  const log = createLogger(logChannel).child('pool');
  log.info('opened i-0abc');
  log.trace('t');
  log.debug('d');
  log.warn('w');
  log.error('e');
  assert.deepEqual(lines, ['info [pool] opened i-0abc', 'trace [pool] t', 'debug [pool] d', 'warn [pool] w', 'error [pool] e']);

  logChannel.dispose();
  assert.equal(disposed(), true, 'the channel itself is disposed');
  // What the extension's later subscriptions do on deactivation: a connection ending logs as it closes.
  assert.doesNotThrow(() => log.info('closed i-0abc'));
  assert.doesNotThrow(() => log.error('ended'));
  assert.equal(lines.length, 5);
});
