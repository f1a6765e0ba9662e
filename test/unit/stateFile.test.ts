import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

import { JsonFileStore } from '../../src/cli/stateFile';

const run = promisify(execFile);
const child = join(__dirname, 'fixtures', 'stateFile', 'updateKeys.ts');
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

test('12 ec2ic processes recording host keys at once keep every key, round after round', async () => {
  const processes = 12;
  const keysEach = 5;
  for (let round = 0; round < 4; round++) {
    const dir = await mkdtemp(join(tmpdir(), 'ec2ic-state-'));
    dirs.push(dir);
    const path = join(dir, 'ec2ic', 'state.json');
    await Promise.all(
      Array.from({ length: processes }, (_, i) => run(process.execPath, ['--import', 'tsx', child, path, `i-${i}`, String(keysEach)])),
    );
    const kept = Object.keys(JSON.parse(await readFile(path, 'utf8')) as object);
    assert.equal(kept.length, processes * keysEach, `round ${round}: ${kept.length} of ${processes * keysEach} keys kept`);
    assert.deepEqual(await readdir(join(dir, 'ec2ic')), ['state.json'], 'no lock or temporary file is left behind');
  }
});

async function storeWithLeftLock(lockText: string, ageMs = 0) {
  const dir = await mkdtemp(join(tmpdir(), 'ec2ic-state-'));
  dirs.push(dir);
  const path = join(dir, 'state.json');
  await writeFile(path, '{"hostKey:i-old":"kept"}\n');
  await writeFile(`${path}.lock`, lockText);
  if (ageMs) await utimes(`${path}.lock`, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
  return { dir, path, store: await JsonFileStore.open(path) };
}

test('a lock left by an ec2ic that was killed (its pid is gone) does not block the next update', async () => {
  const gone = spawn(process.execPath, ['-e', '']);
  await once(gone, 'exit');
  const { dir, path, store } = await storeWithLeftLock(`${gone.pid} ${hostname()} ${Date.now()}\n`);
  await store.update('hostKey:i-new', 'trusted');
  assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { 'hostKey:i-old': 'kept', 'hostKey:i-new': 'trusted' });
  assert.deepEqual(await readdir(dir), ['state.json']);
});

test('a lock older than any update (left on another host, or by a reused pid) does not block the next update', async () => {
  const { path, store } = await storeWithLeftLock(`${process.pid} ${hostname()} 0\n`, 10 * 60_000);
  await store.update('hostKey:i-new', 'trusted');
  assert.equal(store.get('hostKey:i-new'), 'trusted');
  assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { 'hostKey:i-old': 'kept', 'hostKey:i-new': 'trusted' });
});
