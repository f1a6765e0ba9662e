import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EscapeSequence } from '../../src/cli/escapeSequence';

function typed(escape: EscapeSequence, ...chunks: string[]): { sent: string; ended: boolean } {
  let sent = '';
  for (const chunk of chunks) {
    const { send, end } = escape.feed(Buffer.from(chunk));
    sent += send.toString();
    if (end) return { sent, ended: true };
  }
  return { sent, ended: false };
}

test('~. at the start of a line ends the session; what follows it is not sent', () => {
  assert.deepEqual(typed(new EscapeSequence(), '~.'), { sent: '', ended: true });
  assert.deepEqual(typed(new EscapeSequence(), 'ls\r', '~', '.rm -rf /\r'), { sent: 'ls\r', ended: true });
  assert.deepEqual(typed(new EscapeSequence(), 'echo\n~.'), { sent: 'echo\n', ended: true });
});

test('a ~ elsewhere, ~~, and ~ before anything else go through as typed', () => {
  assert.deepEqual(typed(new EscapeSequence(), 'cd ~.\r'), { sent: 'cd ~.\r', ended: false });
  assert.deepEqual(typed(new EscapeSequence(), '~~.'), { sent: '~.', ended: false });
  assert.deepEqual(typed(new EscapeSequence(), '~/bin\r'), { sent: '~/bin\r', ended: false });
  assert.deepEqual(typed(new EscapeSequence(), '\r~', 'x'), { sent: '\r~x', ended: false });
});
