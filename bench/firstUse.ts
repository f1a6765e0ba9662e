/**
 * firstUse: what the first Connect or the first listing adds to the process that runs it (the extension
 * host, or ec2ic): requiring dist/core.js, in a fresh Node process, from a directory with no node_modules
 * above it (as the .vsix installs it: ssh2's optional native add-on is then absent, as for users). Against
 * the same process that requires nothing (bare node). Ours is required as loadCore() does, through V8's code
 * cache beside it (which the warm-up run writes, as any first use does for the processes after it); the peer
 * is the same core bundled from the SDK's CommonJS builds and required plainly, which is how dist/core.js was
 * built and loaded before. Targets: ≤ 40 MB RSS, ≤ 100 ms.
 *   npx tsx bench/firstUse.ts [--runs N]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { build, buildSync } from 'esbuild';

import { coreIsExternal, nodeBundle } from '../scripts/esbuild-options.mjs';
import { atMost, type Figure, pairedRunsFigure, summarize } from './stats';

const root = join(__dirname, '..');

interface Probe {
  ms: number;
  cpuMs: number;
  rssBeforeMb: number;
  rssMb: number;
  maxRssMb: number;
  heapUsedMb: number;
}

function probe(file: string, core?: string, how?: 'cached'): Probe {
  return JSON.parse(execFileSync(process.execPath, [file, ...(core ? [core] : []), ...(how ? [how] : [])], { cwd: tmpdir(), encoding: 'utf8' })) as Probe;
}

/** The peak RSS of a process that required `core`, less that of bare node in the run beside it. */
const addedRss = (withCore: Probe[], bare: Probe[]) => withCore.map((p, i) => Math.max(p.maxRssMb, p.rssMb) - Math.max(bare[i].maxRssMb, bare[i].rssMb));

export async function firstUseBenchmark(runs = 20): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ec2ic-bench-first-use-'));
  try {
    const probeFile = join(dir, 'firstUseProbe.js');
    buildSync({ entryPoints: [join(__dirname, 'firstUseProbe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: probeFile, logLevel: 'error' });
    const ours = join(dir, 'core.js');
    copyFileSync(join(root, 'dist', 'core.js'), ours);
    // The peer: the same core with the SDK bundled from its CommonJS builds (esbuild's defaults), minified as dist/core.js is.
    const commonJs = join(dir, 'cjs', 'core.js');
    await build({
      ...nodeBundle,
      mainFields: undefined,
      plugins: [coreIsExternal],
      entryPoints: [join(root, 'src', 'core', 'core.ts')],
      outfile: commonJs,
      minify: true,
      legalComments: 'none',
      logLevel: 'error',
    });
    const bare: Probe[] = [];
    const esm: Probe[] = [];
    const cjs: Probe[] = [];
    const uncached: Probe[] = [];
    probe(probeFile, ours, 'cached'); // warms the file cache (every run then reads the bundle from memory) and writes V8's code cache, as a first use does
    probe(probeFile, commonJs);
    for (let i = 0; i < runs; i++) {
      bare.push(probe(probeFile));
      esm.push(probe(probeFile, ours, 'cached'));
      cjs.push(probe(probeFile, commonJs));
      uncached.push(probe(probeFile, ours)); // plain require: as the first process after an install or an update, with no cache yet
    }
    const kb = (file: string) => (statSync(file).size / 1024).toFixed(0);
    const peerName = "the same core from the SDK's CommonJS builds";
    const bareRss = summarize(bare.map((p) => p.maxRssMb)).median;
    const context =
      `in a fresh node process (bare node: ${bareRss.toFixed(0)} MB); dist/core.js is ${kb(ours)} KB, the CommonJS build ${kb(commonJs)} KB; ` +
      `1-minute load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
    const rss = pairedRunsFigure('firstUse.rssMB', 'MB', addedRss(esm, bare), { name: peerName, values: addedRss(cjs, bare) });
    rss.target = atMost(addedRss(esm, bare), 40, '≤ 40 MB', (v) => `${v.toFixed(1)} MB`);
    rss.note = `peak RSS of a process that requires dist/core.js, less bare node's in the run beside it; ${context}`;
    const time = pairedRunsFigure('firstUse.requireMs', 'ms', esm.map((p) => p.ms), { name: peerName, values: cjs.map((p) => p.ms) });
    time.target = atMost(esm.map((p) => p.ms), 100, '≤ 100 ms', (v) => `${v.toFixed(0)} ms`);
    if (!time.target.met) {
      // An absolute time on a shared machine: say how loaded it was, by the peer that ran beside it.
      const peerMs = summarize(cjs.map((p) => p.ms)).median;
      time.target.text +=
        `. Why: the CommonJS build took ${peerMs.toFixed(0)} ms in the same runs, ${(peerMs / 210).toFixed(1)}× the 210 ms it took when the target was set ` +
        `(issue 16); ours is ${(time.ratio ?? 0).toFixed(2)}× it, where the target is ${(100 / 210).toFixed(2)}× of 210 ms`;
    }
    const cpu = (probes: Probe[]) => summarize(probes.map((p) => p.cpuMs)).median.toFixed(0);
    time.note =
      `wall time of loadCore()'s require of dist/core.js through V8's code cache (the peer: plain require()); the first process after an install or an update, ` +
      `which has no cache yet and writes it, takes ${summarize(uncached.map((p) => p.ms)).median.toFixed(0)} ms (CPU time: ${cpu(esm)} ms, the CommonJS build's ${cpu(cjs)} ms; JS heap after it ${summarize(esm.map((p) => p.heapUsedMb)).median.toFixed(0)} MB); ${context}`;
    return [rss, time];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { runs: { type: 'string' } }, strict: true });
  execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'ignore' });
  firstUseBenchmark(values.runs ? Number(values.runs) : undefined).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`first-use benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
