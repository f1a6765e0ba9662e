import assert from 'node:assert/strict';
import { test } from 'node:test';

import { oneLine, plainText, terminalSafeJson } from '../../src/core/base/sanitize';

const ESC = '\u001b';
const BEL = '\u0007';

test('escape sequences go whole: CSI, OSC (BEL or ST), C1 forms and two-byte escapes; nothing of them is left', () => {
  assert.equal(plainText(`${ESC}[2J${ESC}[31mred${ESC}[0m`), 'red');
  assert.equal(plainText(`a${ESC}]0;pwned${BEL}b`), 'ab');
  assert.equal(plainText(`a${ESC}]8;;https://evil${ESC}\\link${ESC}]8;;${ESC}\\b`), 'alinkb');
  assert.equal(plainText('a\u009b31mb\u009d0;title\u009cc'), 'abc');
  assert.equal(plainText(`a${ESC}(Bb${ESC}cc${ESC}7d`), 'abcd');
  assert.equal(plainText(`${ESC}[?1049h${ESC}[1;1Hx`), 'x');
  assert.equal(plainText(`trailing${ESC}[`), 'trailing');
});

test('C0 and C1 controls, DEL and bidi overrides and isolates are removed; other text stays as typed', () => {
  assert.equal(plainText('a\u0000b\u0008c\u007fd\u0080e\u0084f'), 'abcdef');
  // A C1 string introducer (APC here) swallows what follows up to its end, as a terminal would.
  assert.equal(plainText('a\u009fhidden\u009cz'), 'az');
  assert.equal(plainText('web\u202e1gnp.exe\u202c'), 'web1gnp.exe');
  for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) assert.equal(plainText(`x${c}y`), 'xy');
  assert.equal(plainText('名前 😀 **bold** [x](command:evil) $(zap) <b>'), '名前 😀 **bold** [x](command:evil) $(zap) <b>');
});

test('line breaks fake no lines: one space on one line, \\n (only) with multiline', () => {
  assert.equal(plainText('a\r\nb\rc\nd\u2028e\u000bf\u000cg\u0085h'), 'a b c d e f g h');
  assert.equal(plainText('a\r\nb\rc\nd\u2029e', { multiline: true }), 'a\nb\nc\nd\ne');
  assert.equal(plainText('a\tb'), 'a b');
});

test('oneLine: plain, collapsed, trimmed and bounded', () => {
  assert.equal(oneLine(`  web\r\n\r\n  prod${ESC}[2J  `), 'web prod');
  assert.equal(oneLine('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
  assert.equal(oneLine(`${ESC}]0;t${BEL}`), '');
});

test('JSON for a terminal escapes C1 controls, DEL and bidi overrides, and still parses to the same value', () => {
  const value = { name: 'a\u009b2Jb\u202ec\u007f\u001b[31m' };
  const json = terminalSafeJson(value, 2);
  // eslint-disable-next-line no-control-regex -- no control character may be left
  assert.doesNotMatch(json, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.match(json, /\\u009b2Jb\\u202ec\\u007f\\u001b\[31m/);
  assert.deepEqual(JSON.parse(json), value);
});
