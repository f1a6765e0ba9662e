import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';

import { writeJsonArray } from '../../src/cli/list';
import { terminalSafeJson } from '../../src/core/base/sanitize';

async function written(values: unknown[], out = new PassThrough()): Promise<string> {
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await writeJsonArray(values, out);
  return text;
}

test('ec2ic list --json writes, an instance at a time, exactly what one JSON.stringify of the array would', async () => {
  const many = Array.from({ length: 2000 }, (_, i) => ({
    instanceId: `i-${i}`,
    name: `web\u0085\u202e${i}`,
    launchTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    tags: [{ key: 'Name', value: 'multi\nline' }],
    empty: [],
    none: {},
    gone: undefined,
  }));
  for (const values of [[], [1], many]) assert.equal(await written(values), `${terminalSafeJson(values, 2)}\n`);
});

test('a reader slower than the writer is waited for (drain), not buffered whole', async () => {
  const out = new PassThrough({ highWaterMark: 1024 });
  let paused = 0;
  const writing = writeJsonArray(Array.from({ length: 5000 }, (_, i) => ({ i, padding: 'x'.repeat(100) })), out);
  let text = '';
  for await (const chunk of out) {
    text += String(chunk);
    paused++;
    if (text.endsWith(']\n')) break;
  }
  await writing;
  assert.ok(paused > 1);
  assert.equal(JSON.parse(text).length, 5000);
});
