/**
 * list: the explorer listing 10,000 instances over 17 regions, 50 ms of injected latency on every call.
 * Wall time is set against the critical path (the longest chain of DescribeInstances pages in one region
 * × the latency: the least any client could take), against the peer (the AWS SDK's paginator in every
 * region at once, its own XML parser), and against the transport floor (the same calls with the bodies
 * read and thrown away: what the server and HTTP cost by themselves). The server is a replay of the sandbox's
 * answers that adds the latency (bench/replayEndpoint.ts): the sandbox alone spends close to a second writing
 * 35 MB of XML on its one thread, which no client could hide. Each run is a fresh process, so peak RSS is the
 * listing's own. Targets: wall ≤ 1.3 × critical path; peak RSS ≤ 150 MB.
 *   npx tsx bench/list.ts [--runs N] [--instances N] [--regions N] [--latency MS] [--out FILE]
 * Prints (and with --out writes) JSON: { figures (bench/stats.ts Figure records), raw, criticalPathMs }.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { buildSync } from 'esbuild';

import { startReplayEndpoint } from './replayEndpoint';
import { startSandboxProcess } from './sandboxProcess';
import { type Figure, figure } from './stats';

const root = join(__dirname, '..');
const run = promisify(execFile);

export interface ListBenchOptions {
  runs?: number;
  instances?: number;
  regions?: number;
  latencyMs?: number;
}

interface Probe {
  coldMs: number;
  coldFirstPageMs: number;
  warmMs: number;
  instances: number;
  maxPagesInOneRegion: number;
  pages: number;
  peakRssMb: number;
}

type Mode = 'ours' | 'sdk' | 'floor';

export async function listBenchmark(options: ListBenchOptions = {}): Promise<{ figures: Figure[]; raw: Record<Mode, Probe[]>; criticalPathMs: number }> {
  const runs = options.runs ?? 5;
  const latencyMs = options.latencyMs ?? 50;
  const sandbox = await startSandboxProcess(['--no-ssh', '--instances', String(options.instances ?? 10_000), '--regions', String(options.regions ?? 17)]);
  const { manifest, dir } = sandbox;
  // The latency is injected by the replay in front of the sandbox, which answers at once from the second call on.
  const replay = await startReplayEndpoint(manifest.endpoint, latencyMs);
  const env: NodeJS.ProcessEnv = { ...sandbox.env, AWS_ENDPOINT_URL: replay.endpoint };
  try {
    // Bundled like the extension and run by plain node: tsx's compiler would add ~100 MB to the RSS measured.
    const probeFile = join(dir, 'listProbe.js');
    buildSync({ entryPoints: [join(__dirname, 'listProbe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: probeFile, external: ['vscode', 'cpu-features', '*.node'], logLevel: 'error' });
    const probes: Record<Mode, Probe[]> = { ours: [], sdk: [], floor: [] };
    const list = (mode: Mode) => run(process.execPath, [probeFile, mode, manifest.regions.join(',')], { cwd: root, env, maxBuffer: 1 << 20 });
    await list('floor'); // fills the replay: every call the runs make, answered once by the sandbox
    // Interleaved, each in a fresh process: ours, the SDK paginator (peer), the transport floor.
    for (let i = 0; i < runs; i++) {
      for (const mode of ['ours', 'sdk', 'floor'] as const) {
        const { stdout } = await list(mode);
        probes[mode].push(JSON.parse(stdout) as Probe);
      }
    }
    const ours = probes.ours;
    const expected = ours[0].instances;
    if (probes.sdk.some((p) => p.instances !== expected)) throw new Error('the SDK paginator and the explorer listed different counts');
    const criticalPathMs = Math.max(...ours.map((p) => p.maxPagesInOneRegion)) * latencyMs;
    const median = (values: number[]) => figure('', '', values).ours.median;
    const context = `${expected} instances, ${manifest.regions.length} regions, ${latencyMs} ms per call, ${ours[0].pages} pages, longest chain ${ours[0].maxPagesInOneRegion} page(s)`;
    const cold = figure('list.cold', 'ms', ours.map((p) => p.coldMs), { name: 'AWS SDK paginator, every region at once', values: probes.sdk.map((p) => p.coldMs) });
    const warm = figure('list.refresh', 'ms', ours.map((p) => p.warmMs), { name: 'AWS SDK paginator, every region at once', values: probes.sdk.map((p) => p.warmMs) });
    const ratio = cold.ours.median / criticalPathMs;
    const floorMs = median(probes.floor.map((p) => p.warmMs));
    const peakRss = median(ours.map((p) => p.peakRssMb));
    const figures: Figure[] = [
      {
        ...cold,
        target: { text: `≤ 1.3 × critical path (${criticalPathMs} ms); measured ${ratio.toFixed(1)}×`, met: ratio <= 1.3 },
        note:
          `first open of the view in a fresh process (connections, credentials, parsing included); ${context}. ` +
          `The same calls with nothing parsed take ${median(probes.floor.map((p) => p.coldMs)).toFixed(0)} ms cold and ${floorMs.toFixed(0)} ms warm (${(floorMs / criticalPathMs).toFixed(1)}× the critical path): ` +
          'receiving 35 MB of XML over HTTP costs more than the latency before any parsing',
      },
      {
        ...warm,
        note: `Refresh in the same process; the transport floor (same calls, bodies read and discarded) is ${floorMs.toFixed(0)} ms`,
      },
      { ...figure('list.criticalPath', 'ms', [criticalPathMs]), note: 'longest chain of DescribeInstances pages in one region × injected latency' },
      { ...figure('list.transportFloor', 'ms', probes.floor.map((p) => p.warmMs)), note: 'the same calls with the bodies thrown away unparsed (warm): what the latency, the server and HTTP cost' },
      { ...figure('list.firstRegion', 'ms', ours.map((p) => p.coldFirstPageMs)), note: 'first instances on screen after opening the view' },
      {
        ...figure('list.peakRss', 'MB', ours.map((p) => p.peakRssMb), { name: 'AWS SDK paginator', values: probes.sdk.map((p) => p.peakRssMb) }),
        target: { text: '≤ 150 MB', met: peakRss <= 150 },
        note:
          `whole process through a first open and a Refresh: Node itself (~40 MB), the SDK (requiring @aws-sdk/client-ec2 adds ~60 MB), 35 MB of XML per listing; ` +
          `the same calls with nothing parsed peak at ${median(probes.floor.map((p) => p.peakRssMb)).toFixed(0)} MB`,
      },
    ];
    return { figures, raw: probes, criticalPathMs };
  } finally {
    await replay.stop();
    await sandbox.stop();
  }
}

if (require.main === module) {
  const names = ['runs', 'instances', 'regions', 'latency', 'out'] as const;
  const { values } = parseArgs({ options: Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<(typeof names)[number], { type: 'string' }>, strict: true });
  const number = (name: 'runs' | 'instances' | 'regions' | 'latency') => (values[name] === undefined ? undefined : Number(values[name]));
  listBenchmark({ runs: number('runs'), instances: number('instances'), regions: number('regions'), latencyMs: number('latency') }).then(
    (result) => {
      const json = JSON.stringify(result, null, 2);
      const out = values.out;
      if (out) writeFileSync(out, `${json}\n`);
      process.stdout.write(`${json}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`list benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
