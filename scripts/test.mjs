// `npm test`: type-check, build, then every suite with node's own test runner.
//   node scripts/test.mjs [unit|integration|sandbox|e2e ...]   (default: all of them)
// Test files are test/<suite>/**/*.test.ts (the sandbox's: sandbox/test/**/*.test.ts), run through tsx.
// The spec reporter prints the summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemPackages } from './system-deps.mjs';

const all = ['unit', 'integration', 'sandbox', 'e2e'];
const dirOf = (suite) => (suite === 'sandbox' ? join('sandbox', 'test') : join('test', suite));
const suites = process.argv.slice(2).length ? process.argv.slice(2) : all;

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

ensureSystemPackages('test');
run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
run('node', ['scripts/build.mjs']);

const runner = ['--import', 'tsx', '--test', '--test-reporter=spec'];
const fast = suites.filter((suite) => suite !== 'e2e').flatMap((suite) => testFiles(dirOf(suite))).sort();
const e2e = suites.includes('e2e') ? testFiles(join('test', 'e2e')).sort() : [];
if (fast.length + e2e.length === 0) {
  console.error(`no test files in ${suites.map(dirOf).join(', ')}`);
  process.exit(1);
}
// Unit and integration files run two at a time; the end-to-end files (a code-server and a browser each)
// one at a time, after them.
if (fast.length) run('node', [...runner, '--test-concurrency=2', ...fast]);
if (e2e.length) run('node', [...runner, '--test-concurrency=1', ...e2e]);
