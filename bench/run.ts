/**
 * `npm run bench`: every benchmark against the sandbox, ours and the peers interleaved in one run, into
 * bench/results.json and bench/RESULTS.md.
 *   npm run bench -- [--only activation,firstUse,connect,proxy,endpoint,list,throughput,forward,files,memory,keys] [--quick] [--out DIR]
 * --quick runs each figure a few times on small inputs (a smoke run: its numbers mean little) and, unless
 * --out is given, writes nowhere. A full run (no --only, no --out) also refreshes the table in README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { activationBenchmark } from './activation';
import { connectBenchmark } from './connect';
import { endpointBenchmark } from './endpoint';
import { filesBenchmark } from './files';
import { firstUseBenchmark } from './firstUse';
import { forwardBenchmark } from './forward';
import { keysBenchmark } from './keys';
import { listBenchmark } from './list';
import { memoryBenchmark } from './memory';
import { proxyBenchmark } from './proxy';
import { currentCommit, describeMachine, type Results, resultsMarkdown, withResultsTable } from './report';
import { type SshBench, startSshBench } from './sshBench';
import type { Figure } from './stats';
import { throughputBenchmark } from './throughput';

const root = join(__dirname, '..');
const names = ['activation', 'firstUse', 'connect', 'proxy', 'endpoint', 'list', 'throughput', 'forward', 'files', 'memory', 'keys'] as const;
type Name = (typeof names)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const quick = values.quick === true;
  const only = values.only?.split(',') ?? [...names];
  const unknown = only.filter((name) => !(names as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; there are ${names.join(', ')}`);
  const selected = (name: Name) => only.includes(name);
  const out = values.out ?? (quick ? undefined : join(root, 'bench'));

  const started = performance.now();
  const results: Results = { date: new Date().toISOString(), commit: currentCommit(root), machine: describeMachine(), figures: [] };
  const add = (figures: Figure[]) => {
    for (const f of figures) process.stderr.write(`  ${f.name}: ${f.ours.median.toFixed(2)} ${f.unit}${f.peer ? ` vs ${f.peer.median.toFixed(2)} (${f.peer.name})` : ''}${f.target ? ` ${f.target.met ? 'met' : 'MISSED'}: ${f.target.text}` : ''}\n`);
    results.figures.push(...figures);
  };
  const step = async (name: Name, run: () => Promise<Figure[]>) => {
    if (!selected(name)) return;
    process.stderr.write(`${name}…\n`);
    add(await run());
  };

  // Production bundles (and the .vsix): what users run. activation packages them itself.
  if (selected('activation')) await step('activation', () => activationBenchmark(quick ? 3 : 20));
  else execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'ignore' });
  await step('firstUse', () => firstUseBenchmark(quick ? 3 : 20));

  if (['connect', 'proxy', 'endpoint', 'throughput', 'forward', 'files', 'memory', 'keys'].some((name) => selected(name as Name))) {
    const bench: SshBench = await startSshBench();
    try {
      await step('connect', () => connectBenchmark(bench, quick ? 2 : 20));
      await step('proxy', () => proxyBenchmark(bench, quick ? 2 : 20));
      await step('endpoint', () => endpointBenchmark(bench, quick ? { runs: 2, bytes: 8 * 2 ** 20 } : {}));
      await step('throughput', () => throughputBenchmark(bench, quick ? { runs: 1, bytes: 16 * 2 ** 20 } : {}));
      await step('forward', () => forwardBenchmark(bench, quick ? { runs: 2, bytes: 16 * 2 ** 20, latencyRounds: 2, connectionsPerRound: 5 } : {}));
      await step('files', () => filesBenchmark(bench, quick ? { runs: 1, bytes: 8 * 2 ** 20, entries: 1000 } : {}));
      await step('memory', () => memoryBenchmark(bench, quick ? { runs: 1, sessions: 3 } : {}));
      await step('keys', () => keysBenchmark(bench, quick ? 3 : 100));
    } finally {
      await bench.stop();
    }
  }
  await step('list', async () => (await listBenchmark(quick ? { runs: 1, instances: 2000, regions: 3 } : {})).figures);

  results.durationSeconds = (performance.now() - started) / 1000;
  results.machine.loadAverage.end = loadavg()[0];
  const order = (f: Figure) => names.indexOf(f.name.split('.')[0] as Name);
  results.figures.sort((a, b) => order(a) - order(b));
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(out, 'RESULTS.md'), resultsMarkdown(results));
    process.stderr.write(`wrote ${join(out, 'results.json')} and ${join(out, 'RESULTS.md')}\n`);
    if (!values.out && !values.only) {
      const readme = join(root, 'README.md');
      writeFileSync(readme, withResultsTable(readFileSync(readme, 'utf8'), results));
    }
  } else {
    process.stdout.write(resultsMarkdown(results));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
