/**
 * Where forward.rssGrowthMB comes from: our forward alone (the probe as bench/forward.ts starts it), bulk
 * transfers through it each way, the probe sampled by bench/forwardMemoryHook.ts. Prints, per phase, the
 * ranges of RSS, V8's heap and the memory of ArrayBuffers (Buffers' off-heap bytes), the most bytes queued in
 * the forward's streams, the GCs, and the growth as bench/forward.ts computes it (peak RSS less RSS with the
 * forward up).
 *   node --import tsx bench/forwardMemory.ts [--rounds 2] [--mb 256] [--prewarm-mb 0] [--node-arg --max-semi-space-size=1 ...]
 * An experiment, not a figure: `npm run build` first (the probe loads dist/core.js).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { build } from 'esbuild';

import { nodeBundle } from '../scripts/esbuild-options.mjs';
import { download, startService, upload } from './forward';
import type { GcEvent, MemorySample } from './forwardMemoryHook';
import { startProbe } from './probeProcess';
import type { ForwardStarted, ProcessUsage } from './sessionProbe';
import { startSshBench } from './sshBench';

const mb = (bytes: number) => bytes / 2 ** 20;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '2' }, mb: { type: 'string', default: '256' }, 'prewarm-mb': { type: 'string', default: '0' }, 'node-arg': { type: 'string', multiple: true, default: [] } },
    strict: true,
  });
  const rounds = Number(values.rounds);
  const bytes = Number(values.mb) * 2 ** 20;
  const prewarm = Number(values['prewarm-mb']);
  const bench = await startSshBench();
  const service = await startService();
  const samplesFile = join(bench.sandbox.dir, 'forward-memory.jsonl');
  const hookFile = join(bench.sandbox.dir, 'forwardMemoryHook.js');
  await build({ ...nodeBundle, entryPoints: [join(__dirname, 'forwardMemoryHook.ts')], outfile: hookFile, logLevel: 'error' });
  const env = {
    ...bench.sandbox.env,
    NODE_EXTRA_CA_CERTS: bench.sandbox.manifest.caFile,
    XDG_CONFIG_HOME: bench.sandbox.dir,
    EC2IC_BENCH_FORWARD_MEMORY: samplesFile,
    EC2IC_BENCH_FORWARD_MEMORY_PREWARM_MB: String(prewarm),
  };
  const nodeArgs = ['--require', hookFile, ...(prewarm > 0 ? ['--expose-gc'] : []), ...values['node-arg']];
  const probe = startProbe(bench.sandbox.dir, env, nodeArgs);
  const phases: { name: string; t: number }[] = [];
  const phase = (name: string) => phases.push({ name, t: Date.now() });
  const speeds: string[] = [];
  let before: ProcessUsage | undefined;
  let after: ProcessUsage | undefined;
  let text: string;
  try {
    const started = await probe.request<ForwardStarted>({ op: 'forwardStart', target: { ...bench.target, connectionType: 'direct' }, remote: { host: '127.0.0.1', port: service.bulk } });
    before = await probe.request<ProcessUsage>({ op: 'usage' });
    // As bench/forward.ts: 16 MB each way first (inside its growth's window).
    phase('warm-up');
    await download(started.port, Math.min(bytes, 16 * 2 ** 20));
    await upload(started.port, Math.min(bytes, 16 * 2 ** 20));
    const rate = (ms: number) => (mb(bytes) / (ms / 1000)).toFixed(0);
    for (let i = 0; i < rounds; i++) {
      phase(`down ${i + 1}`);
      speeds.push(`down ${rate(await download(started.port, bytes))} MB/s`);
      phase(`up ${i + 1}`);
      speeds.push(`up ${rate(await upload(started.port, bytes))} MB/s`);
    }
    phase('idle');
    after = await probe.request<ProcessUsage>({ op: 'usage' });
    await probe.request({ op: 'forwardStop', id: started.id });
  } finally {
    await probe.exit();
    text = readFileSync(samplesFile, 'utf8');
    await service.stop();
    await bench.stop();
  }
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as MemorySample | GcEvent);
  const samples = lines.filter((line): line is MemorySample => 'rss' in line);
  const gcs = lines.filter((line): line is GcEvent => 'gc' in line);
  const range = (values: number[]) => `${mb(Math.min(...values)).toFixed(1)}–${mb(Math.max(...values)).toFixed(1)}`;
  process.stdout.write(`node args: ${nodeArgs.slice(2).join(' ') || '(none)'}; ${speeds.join(', ')}\n`);
  process.stdout.write('phase      RSS MB        heapUsed MB   arrayBuffers MB  queued in streams MB (max)  GCs\n');
  phases.forEach((current, i) => {
    const end = phases[i + 1]?.t ?? Infinity;
    const inside = samples.filter((s) => s.t >= current.t && s.t < end);
    if (!inside.length) return;
    const counts: Record<string, number> = {};
    for (const gc of gcs.filter((g) => g.t >= current.t && g.t < end)) counts[gc.gc] = (counts[gc.gc] ?? 0) + 1;
    const column = (text: string, width: number) => text.padEnd(width);
    process.stdout.write(
      `${column(current.name, 10)} ${column(range(inside.map((s) => s.rss)), 13)} ${column(range(inside.map((s) => s.heapUsed)), 13)} ${column(range(inside.map((s) => s.arrayBuffers)), 16)} ` +
        `${column(mb(Math.max(...inside.map((s) => s.queued))).toFixed(2), 27)} ${Object.entries(counts).map(([kind, n]) => `${kind} ${n}`).join(', ')}\n`,
    );
  });
  if (before && after) process.stdout.write(`growth as forward.rssGrowthMB computes it: ${before.rssMb.toFixed(1)} → ${after.maxRssMb.toFixed(1)} MB = ${(after.maxRssMb - before.rssMb).toFixed(1)} MB\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`forwardMemory failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
