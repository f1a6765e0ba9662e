// requireWithCodeCache, each use in a process of its own, as `ec2ic proxy` runs: within one process V8 reuses
// what it compiled already, and would neither read nor refuse a cache file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const codeCache = join(__dirname, '..', '..', 'src', 'core', 'codeCache.ts');

/** Requires the bundle in a fresh node, calls `twice`, writes the cache when `save`; what it saw. */
function run(bundle: string, save = true, cacheDir?: string): { fromCache: boolean; answer: number; where: string } {
  const script = `
    const { requireWithCodeCache } = require(${JSON.stringify(codeCache)});
    const m = requireWithCodeCache(${JSON.stringify(bundle)}, ${cacheDir === undefined ? 'undefined' : JSON.stringify(cacheDir)});
    m.exports.twice?.(2);
    if (${save}) m.saveCache();
    process.stdout.write(JSON.stringify({ fromCache: m.fromCache, answer: m.exports.answer, where: m.exports.where }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as { fromCache: boolean; answer: number; where: string };
}

function bundleDir(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'ec2ic-code-cache-'));
  t.after(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, 'dep.js'), 'module.exports = { answer: 42 };\n');
  const bundle = join(dir, 'bundle.js');
  writeFileSync(bundle, "exports.answer = require('./dep.js').answer; exports.where = __filename; exports.twice = (n) => n * 2;\n");
  return { dir, bundle, caches: () => readdirSync(dir).filter((name) => name.endsWith('.v8cache')) };
}

test('a bundle is required as require() would, its cache written once asked and used by the next process', (t) => {
  const { dir, bundle, caches } = bundleDir(t);
  assert.deepEqual(run(bundle, false), { fromCache: false, answer: 42, where: bundle }, 'require() inside resolves beside the bundle');
  assert.deepEqual(caches(), [], 'nothing is written before it is asked for');
  assert.equal(run(bundle).fromCache, false);
  assert.equal(caches().length, 1);
  assert.equal(statSync(join(dir, caches()[0])).mode & 0o777, 0o600);
  const written = statSync(join(dir, caches()[0])).mtimeMs;
  assert.deepEqual(run(bundle), { fromCache: true, answer: 42, where: bundle });
  assert.equal(statSync(join(dir, caches()[0])).mtimeMs, written, 'a cache that was used is not written again');
});

test('a changed bundle gets a cache of its own, and the old one goes when it is written', (t) => {
  const { bundle, caches } = bundleDir(t);
  run(bundle);
  const old = caches();
  writeFileSync(bundle, 'exports.answer = 43;\n');
  assert.deepEqual(run(bundle), { fromCache: false, answer: 43 });
  assert.equal(caches().length, 1);
  assert.notDeepEqual(caches(), old);
});

test('a cache that is not V8 data is refused by V8, and a folder that cannot be written has no cache', (t) => {
  const { dir, bundle, caches } = bundleDir(t);
  run(bundle);
  writeFileSync(join(dir, caches()[0]), 'not a code cache');
  assert.deepEqual(run(bundle, false), { fromCache: false, answer: 42, where: bundle });

  rmSync(join(dir, caches()[0]));
  chmodSync(dir, 0o500);
  assert.equal(run(bundle).answer, 42, 'saving where it cannot write throws nothing');
  if (process.getuid?.() !== 0) assert.deepEqual(caches(), []);
});

test('a cache folder of its own (the editor keeps the core\'s in its storage): made when first written, nothing beside the bundle', (t) => {
  const { dir, bundle, caches } = bundleDir(t);
  const cacheDir = join(dir, 'storage', 'code-cache');
  assert.equal(run(bundle, true, cacheDir).fromCache, false);
  assert.deepEqual(caches(), [], 'nothing written beside the bundle');
  const written = readdirSync(cacheDir).filter((name) => name.endsWith('.v8cache'));
  assert.equal(written.length, 1);
  assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
  assert.deepEqual(run(bundle, true, cacheDir), { fromCache: true, answer: 42, where: bundle }, 'require() inside still resolves beside the bundle');
});
