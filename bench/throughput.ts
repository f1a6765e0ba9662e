/**
 * throughput: 256 MB of output from the instance (`head -c 268435456 /dev/zero` typed into the shell)
 * through our ssh2 session into the terminal adapter (TerminalSession, what the Pseudoterminal shows),
 * against OpenSSH `ssh` to the same sshd writing to /dev/null. Both on a pty, both on a connection that is
 * already up (ours: typed at the prompt; OpenSSH: a session on a ControlMaster connection), interleaved.
 * Then the same stream into a slow terminal, for the peak RSS: the adapter must not queue what the
 * terminal has not taken yet. Target: ≥ 0.8 × OpenSSH's throughput.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

import { openSshVersion, sshMaster } from './peers';
import { startProbe } from './probeProcess';
import type { ThroughputResult } from './sessionProbe';
import type { SshBench } from './sshBench';
import { type Figure, figure } from './stats';

export interface ThroughputOptions {
  runs?: number;
  bytes?: number;
  /** How fast the slow terminal takes text, in MB/s. */
  slowTerminalMBps?: number;
}

async function ours(bench: SshBench, bytes: number, terminalMBps?: number, pty = true): Promise<ThroughputResult> {
  // A fresh process each time, so that its peak RSS is this stream's.
  const probe = startProbe(bench.sandbox.dir, bench.sandbox.env);
  try {
    return await probe.request<ThroughputResult>({ op: 'throughput', target: bench.target, bytes, terminalMBps, pty });
  } finally {
    await probe.exit();
  }
}

function openSsh(masterArgs: string[], bytes: number, pty = true): Promise<number> {
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  return new Promise<number>((resolve, reject) => {
    const child = spawn('ssh', [...(pty ? ['-tt'] : ['-T']), ...masterArgs, `head -c ${bytes} /dev/zero`], { stdio: ['ignore', devNull, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`ssh exited with ${code}: ${stderr.trim()}`))));
  }).finally(() => closeSync(devNull));
}

export async function throughputBenchmark(bench: SshBench, options: ThroughputOptions = {}): Promise<Figure[]> {
  const runs = options.runs ?? 5;
  const bytes = options.bytes ?? 268_435_456;
  const slowMBps = options.slowTerminalMBps ?? 64;
  const mbps = (ms: number) => bytes / (1024 * 1024) / (ms / 1000);
  const master = await sshMaster(bench.instance, bench.floorKey, bench.knownHosts, bench.sandbox.dir);
  const mine: ThroughputResult[] = [];
  const peer: number[] = [];
  const mineNoPty: ThroughputResult[] = [];
  const peerNoPty: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      mine.push(await ours(bench, bytes));
      peer.push(await openSsh(master.args, bytes));
      mineNoPty.push(await ours(bench, bytes, undefined, false));
      peerNoPty.push(await openSsh(master.args, bytes, false));
    }
  } finally {
    await master.stop();
  }
  const slow: ThroughputResult[] = [];
  for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) slow.push(await ours(bench, bytes, slowMBps));

  const size = `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
  const speed = figure('throughput.MBps', 'MB/s', mine.map((r) => mbps(r.ms)), { name: `${openSshVersion().split(',')[0]} to /dev/null`, values: peer.map(mbps) });
  speed.target = { text: '≥ 0.8 × OpenSSH', met: (speed.ratio ?? 0) >= 0.8 };
  const cpuPerMB = (results: ThroughputResult[]) => figure('', '', results.map((r) => r.cpuMs / (r.chars / 2 ** 20))).ours.median.toFixed(1);
  const packet = (results: ThroughputResult[]) => figure('', '', results.map((r) => r.chars / r.writes / 1024)).ours.median.toFixed(1);
  const busy = (results: ThroughputResult[]) => figure('', '', results.map((r) => (100 * r.cpuMs) / r.ms)).ours.median.toFixed(0);
  speed.note =
    `${size} of \`head -c\` on a pty, from the keystroke to the exit status; ours into TerminalSession (UTF-8 decoded to strings as the Pseudoterminal takes them). ` +
    `our process was busy ${busy(mine)}% of the wall time (its CPU time / wall time) and used ${cpuPerMB(mine)} ms of CPU per MB; ` +
    `packets of ${packet(mine)} KB on average (a pty hands sshd its output a few KB at a time). ` +
    'Per packet, ssh2 without its native binding (which a .vsix cannot carry for every platform and Electron) creates an AES-GCM decipher: ' +
    "on 2 shared cores our CPU competes with sshd's.";
  const noPty = figure('throughput.noPtyMBps', 'MB/s', mineNoPty.map((r) => mbps(r.ms)), { name: `${openSshVersion().split(',')[0]} -T to /dev/null`, values: peerNoPty.map(mbps) });
  noPty.note = `the same ${size} without a pty on either side (a command's channel; ours still into TerminalSession): the pty no longer sets the pace; our process was busy ${busy(mineNoPty)}% of the time, ${cpuPerMB(mineNoPty)} ms of CPU per MB, packets of ${packet(mineNoPty)} KB`;
  const peak = figure('throughput.peakRss', 'MB', mine.map((r) => r.maxRssMb));
  peak.note = `peak RSS of our process while streaming ${size} at full speed (RSS at the prompt: ${figure('', '', mine.map((r) => r.rssBeforeMb)).ours.median.toFixed(0)} MB)`;
  const slowPeak = figure('throughput.slowTerminalPeakRss', 'MB', slow.map((r) => r.maxRssMb));
  const slowSpeed = figure('', '', slow.map((r) => mbps(r.ms))).ours.median;
  slowPeak.target = { text: 'bounded: ≤ RSS at the prompt + 64 MB', met: slowPeak.ours.max <= Math.max(...slow.map((r) => r.rssBeforeMb)) + 64 };
  slowPeak.note = `${size} into a terminal that takes ${slowMBps} MB/s (blocking the thread as a busy renderer would); streamed at ${slowSpeed.toFixed(0)} MB/s, RSS at the prompt ${figure('', '', slow.map((r) => r.rssBeforeMb)).ours.median.toFixed(0)} MB`;
  return [speed, noPty, peak, slowPeak];
}
