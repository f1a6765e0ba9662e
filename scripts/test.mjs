// `npm test`: type-check, lint, build, then every suite with node's own test runner.
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

const unknown = suites.filter((suite) => !all.includes(suite));
if (unknown.length) {
  console.error(`unknown test suite ${unknown.join(', ')}: the suites are ${all.join(', ')}`);
  process.exit(2);
}
ensureSystemPackages(...suites);
run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
// The whole run (npm test) checks the layers and the rest of the lint rules too.
if (suites.length === all.length) run(process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', '.']);
run('node', ['scripts/build.mjs']);

const runner = ['--import', 'tsx', '--test', '--test-reporter=spec'];
const unit = suites.includes('unit') ? testFiles(dirOf('unit')).sort() : [];
const fast = suites.filter((suite) => suite !== 'e2e' && suite !== 'unit').flatMap((suite) => testFiles(dirOf(suite))).sort();
const e2e = suites.includes('e2e') ? testFiles(join('test', 'e2e')).sort() : [];
if (unit.length + fast.length + e2e.length === 0) {
  console.error(`no test files in ${suites.map(dirOf).join(', ')}`);
  process.exit(1);
}
// Node reads NODE_EXTRA_CA_CERTS only when it starts: the sandbox's CA (made once, reused by every sandbox) is
// trusted by every test process, and by the code-server the end-to-end tests start, from their first line, as
// a user's TLS-intercepting proxy CA would be. Unit tests reach no TLS server.
if (fast.length + e2e.length) {
  const ca = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/ca.ts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (ca.status !== 0) process.exit(ca.status ?? 1);
  process.env.NODE_EXTRA_CA_CERTS = ca.stdout.trim();
}
// Unit, integration and sandbox files run two at a time; the end-to-end files (a code-server and a browser each)
// one at a time, after them.
// Unit files with sockets refused (test/unit/noSockets.mjs).
if (unit.length) run('node', ['--import', './test/unit/noSockets.mjs', ...runner, '--test-concurrency=2', ...unit]);
if (fast.length) run('node', [...runner, '--test-concurrency=2', ...fast]);
if (e2e.length) run('node', [...runner, '--test-concurrency=1', ...e2e]);
