/**
 * memory: RSS of a process running the extension's core (dist/core.js) with 20 terminals open at their
 * prompts (TerminalSession on ssh2 shells, spread over the sandbox's running Linux instances), after a full
 * GC. The peer: 20 interactive OpenSSH `ssh` processes to the same instances, their RSS added up (PSS too:
 * RSS counts the pages they share once per process). Target: under 150 MB.
 */
import { type ChildProcess, spawn } from 'node:child_process';

import { memoryOf, openSshVersion, sshArgs } from './peers';
import { startProbe } from './probeProcess';
import type { MemoryResult, Target } from './sessionProbe';
import type { SshBench } from './sshBench';
import { type Figure, figure } from './stats';

async function ours(bench: SshBench, targets: Target[]): Promise<MemoryResult> {
  const probe = startProbe(bench.sandbox.dir, bench.sandbox.env, ['--expose-gc']);
  try {
    return await probe.request<MemoryResult>({ op: 'memory', targets });
  } finally {
    await probe.exit();
  }
}

/** 20 `ssh -tt` at their prompts; their memory summed once every one has printed something. */
async function openSsh(bench: SshBench, count: number): Promise<{ rssMb: number; pssMb: number }> {
  const reachable = bench.sandbox.manifest.instances.filter((i) => bench.targets.some((t) => t.instanceId === i.instanceId));
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const instance = reachable[i % reachable.length];
      const child = spawn('ssh', ['-tt', ...sshArgs({ host: instance.host, port: instance.port, user: instance.osUser }, bench.floorKey, bench.knownHosts)], { stdio: ['pipe', 'pipe', 'ignore'] });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout?.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`ssh to ${instance.name} exited with ${code} before its prompt`)));
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    return children.map((child) => memoryOf(child.pid ?? 0)).reduce((sum, m) => ({ rssMb: sum.rssMb + m.rssMb, pssMb: sum.pssMb + m.pssMb }), { rssMb: 0, pssMb: 0 });
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

export async function memoryBenchmark(bench: SshBench, options: { runs?: number; sessions?: number } = {}): Promise<Figure[]> {
  const runs = options.runs ?? 3;
  const sessions = options.sessions ?? 20;
  // The floor key is authorized for one OS user on one instance; the others get ours only, so OpenSSH gets the same instance 20 times.
  const floorOnly = { ...bench, targets: [bench.target] };
  const targets = Array.from({ length: sessions }, (_, i) => bench.targets[i % bench.targets.length]);
  const mine: MemoryResult[] = [];
  const peer: { rssMb: number; pssMb: number }[] = [];
  for (let i = 0; i < runs; i++) {
    mine.push(await ours(bench, targets));
    peer.push(await openSsh(floorOnly, sessions));
  }
  const rss = figure('memory.rss20Sessions', 'MB', mine.map((m) => m.rssMb), { name: `${sessions} × ${openSshVersion().split(',')[0]} ssh (RSS summed)`, values: peer.map((p) => p.rssMb) });
  rss.target = { text: '< 150 MB', met: rss.ours.median < 150 };
  const median = (values: number[]) => figure('', '', values).ours.median.toFixed(0);
  rss.note =
    `our process with ${sessions} terminals open over ${bench.targets.length} instances, after a full GC; the same process before the first session: ${median(mine.map((m) => m.baselineRssMb))} MB; ` +
    `JS heap in use ${median(mine.map((m) => m.heapUsedMb))} MB; the OpenSSH processes' PSS summed: ${median(peer.map((p) => p.pssMb))} MB`;
  return [rss];
}
