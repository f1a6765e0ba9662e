/**
 * forward: `ssh -L` through our core (Forwards.forwardPort: SshForward on the ConnectionPool's shared ssh2
 * connection, a direct-tcpip channel per local connection, in a plain Node process as the extension host
 * runs it) against OpenSSH `ssh -N -L` with an already-authorized key, both to the same sshd and on to the
 * same service on 127.0.0.1 (bench/forwardServer.ts, a process of its own), both connections already up,
 * each side with its own default cipher.
 *   - bulk throughput through one local connection each way (from the instance, to the instance), in rounds
 *     that alternate which side goes first; target ≥ 0.8 × OpenSSH;
 *   - per-connection latency: a new local TCP connection to the first byte back, in rounds of connections
 *     alternating the same way; target ≤ 1.25 × OpenSSH. Twice: to a service that speaks first (a banner,
 *     as SSH, SMTP or MySQL do), and to one that answers a request written at once (HTTP, PostgreSQL).
 * A target is met only when the median ratio and the worse quartile of the rounds' ratios meet it.
 * Direct to the instance's public address, then the same through its Instance Connect Endpoint, where the
 * peer is OpenSSH with `ec2ic open-tunnel` as its ProxyCommand (AWS CLI v2's open-tunnel does the same;
 * this machine's AWS CLI is v1, which has none); no targets there.
 * The service and the client side (download, upload, firstByte) are exported for ad hoc experiments: an
 * A/B of a core change against OpenSSH in one run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { readyText, requestBytes } from './forwardServer';
import { openSshVersion, sshArgs } from './peers';
import { type Probe, startProbe } from './probeProcess';
import type { ForwardStarted, ProcessUsage, Target } from './sessionProbe';
import type { SshBench } from './sshBench';
import { type Figure, figure, pairedFigure, quantile, summarize } from './stats';

const root = join(__dirname, '..');
const loopback = '127.0.0.1';

export interface ForwardOptions {
  /** Throughput rounds (each: both sides, both ways). */
  runs?: number;
  bytes?: number;
  /** Latency rounds, and new connections per side in each. */
  latencyRounds?: number;
  connectionsPerRound?: number;
  /** The same through the instance's Instance Connect Endpoint; default true. */
  endpoint?: boolean;
  /** Options for our process's node (--cpu-prof: where its time goes). */
  nodeArgs?: string[];
}

export interface Service {
  banner: number;
  answer: number;
  bulk: number;
  stop(): Promise<void>;
}

/** bench/forwardServer.ts in its own process. */
export async function startService(): Promise<Service> {
  const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', join(__dirname, 'forwardServer.ts')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the forward benchmark's service exited with ${code}`)));
  });
  const ports = JSON.parse(line) as { banner: number; answer: number; bulk: number };
  return {
    ...ports,
    async stop() {
      child.stdin?.end();
      await exited;
    },
  };
}

/** One side of the comparison: a local port that forwards to a port of the service, and its process's usage. */
interface Forwarder {
  port: number;
  startMs: number;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

async function ours(probe: Probe, target: Target, remotePort: number): Promise<Forwarder> {
  const started = await probe.request<ForwardStarted>({ op: 'forwardStart', target, remote: { host: loopback, port: remotePort } });
  return {
    port: started.port,
    startMs: started.ms,
    usage: () => probe.request<ProcessUsage>({ op: 'usage' }),
    stop: () => probe.request({ op: 'forwardStop', id: started.id }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: loopback, port: 0 }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A process's CPU time (user + system) and memory from /proc, as `usage()` reports ours. */
function usageOf(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { cpuMs, rssMb: kb('VmRSS') / 1024, maxRssMb: kb('VmHWM') / 1024 };
}

/** `ssh -N -L 127.0.0.1:P:127.0.0.1:remotePort`, resolved once P accepts connections. */
async function openSsh(args: (extra: string[]) => string[], remotePort: number, env?: NodeJS.ProcessEnv): Promise<Forwarder> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn('ssh', args(['-N', '-o', 'ExitOnForwardFailure=yes', '-L', `${loopback}:${port}:${loopback}:${remotePort}`]), { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ssh -L exited with ${child.exitCode}: ${stderr.trim()}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`ssh -L did not listen on ${port} within 30 s: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startMs = performance.now() - started;
  return {
    port,
    startMs,
    usage: async () => usageOf(child.pid ?? 0),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: loopback, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function opened(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: loopback, port });
    socket.once('error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

/** Waits for the bulk service's `ready` line: the forward's channel is open and the service has the connection. */
function ready(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const onData = (data: Buffer) => {
      seen += data.length;
      if (seen < readyText.length) return;
      socket.off('data', onData);
      socket.pause();
      resolve();
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('the forward closed before the service answered')));
  });
}

function request(kind: 'D' | 'U', bytes: number): Buffer {
  const header = Buffer.alloc(requestBytes);
  header.write(kind, 0, 'latin1');
  header.writeBigUInt64BE(BigInt(bytes), 1);
  return header;
}

/** Milliseconds for `bytes` from the service through the forward: from the request to the last byte. */
export async function download(port: number, bytes: number): Promise<number> {
  const socket = await opened(port);
  await ready(socket);
  return new Promise((resolve, reject) => {
    let received = 0;
    const started = performance.now();
    socket.on('data', (data: Buffer) => (received += data.length));
    socket.once('end', () => {
      const ms = performance.now() - started;
      socket.destroy();
      if (received === bytes) resolve(ms);
      else reject(new Error(`received ${received} of ${bytes} bytes through the forward`));
    });
    socket.once('error', reject);
    socket.resume();
    socket.write(request('D', bytes));
  });
}

const chunk = randomFillSync(Buffer.alloc(2 ** 20));

/** Milliseconds for `bytes` to the service through the forward: from the first byte written to its answer. */
export async function upload(port: number, bytes: number): Promise<number> {
  const socket = await opened(port);
  await ready(socket);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    socket.once('data', () => {
      const ms = performance.now() - started;
      socket.destroy();
      resolve(ms);
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the forward closed before the service had every byte')));
    socket.resume();
    socket.write(request('U', bytes));
    let left = bytes;
    const more = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!socket.write(piece)) return void socket.once('drain', more);
      }
    };
    more();
  });
}

/**
 * Milliseconds from a new local connection to the first byte back: of the service's banner, or (`say`)
 * of its answer to what the client writes at once. The connection is closed before the next.
 */
export function firstByte(port: number, say?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ms: number | undefined;
    const socket = connect({ host: loopback, port });
    socket.setNoDelay(true);
    if (say) socket.write(say);
    socket.once('error', reject);
    socket.once('data', () => {
      ms = performance.now() - started;
      socket.destroy();
    });
    socket.once('close', () => (ms === undefined ? reject(new Error('the forward closed the connection before the first byte back')) : resolve(ms)));
  });
}

export const httpRequest = 'HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n';

interface Transfer {
  ms: number;
  cpuMs: number;
}

async function measured(side: Forwarder, run: () => Promise<number>): Promise<Transfer> {
  const before = await side.usage();
  const ms = await run();
  const after = await side.usage();
  return { ms, cpuMs: after.cpuMs - before.cpuMs };
}

interface Line {
  /** `forward` (direct) or `forward.eice`. */
  prefix: string;
  /** What is forwarded through, for the notes. */
  via: string;
  /** Our forward's target: the instance, direct or through the endpoint. */
  target: Target;
  peer: (remotePort: number) => Promise<Forwarder>;
  peerName: string;
  bytes: number;
  runs: number;
  latencyRounds: number;
  connectionsPerRound: number;
  targets: boolean;
}

interface ThroughputRounds {
  down: { ours: Transfer; peer: Transfer }[];
  up: { ours: Transfer; peer: Transfer }[];
  startMs: number[];
  before: ProcessUsage[];
  after: ProcessUsage[];
}

/** Both forwards up, then rounds of a download and an upload each, alternating which side goes first. */
async function throughputRounds(line: Line, probe: Probe, service: Service): Promise<ThroughputRounds> {
  const sides = [await ours(probe, line.target, service.bulk), await line.peer(service.bulk)];
  try {
    const before = await Promise.all(sides.map((side) => side.usage()));
    // Not counted: the first channels on each connection, buffers grown once, our code compiled by the JIT.
    for (const side of sides) {
      await download(side.port, Math.min(line.bytes, 16 * 2 ** 20));
      await upload(side.port, Math.min(line.bytes, 16 * 2 ** 20));
    }
    const down: ThroughputRounds['down'] = [];
    const up: ThroughputRounds['up'] = [];
    for (let i = 0; i < line.runs; i++) {
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      const round: Transfer[][] = [[], []];
      for (const which of order) round[which].push(await measured(sides[which], () => download(sides[which].port, line.bytes)));
      for (const which of order) round[which].push(await measured(sides[which], () => upload(sides[which].port, line.bytes)));
      down.push({ ours: round[0][0], peer: round[1][0] });
      up.push({ ours: round[0][1], peer: round[1][1] });
    }
    const after = await Promise.all(sides.map((side) => side.usage()));
    return { down, up, startMs: sides.map((side) => side.startMs), before, after };
  } finally {
    for (const side of sides) await side.stop();
  }
}

interface LatencyRounds {
  rounds: { ours: number; peer: number }[];
  ours: number[];
  peer: number[];
  /** CPU time of each forwarding process per counted connection, in ms. */
  cpuMs: number[];
}

/** Both forwards up, then rounds of new connections one at a time, alternating which side goes first. */
async function latencyRounds(line: Line, probe: Probe, remotePort: number, say?: string): Promise<LatencyRounds> {
  const sides = [await ours(probe, line.target, remotePort), await line.peer(remotePort)];
  try {
    // Not counted: the first few channels on each connection.
    for (const side of sides) for (let i = 0; i < 5; i++) await firstByte(side.port, say);
    const all: number[][] = [[], []];
    const rounds: { ours: number; peer: number }[] = [];
    const before = await Promise.all(sides.map((side) => side.usage()));
    for (let i = 0; i < line.latencyRounds; i++) {
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      const round: number[][] = [[], []];
      for (const which of order) for (let c = 0; c < line.connectionsPerRound; c++) round[which].push(await firstByte(sides[which].port, say));
      all[0].push(...round[0]);
      all[1].push(...round[1]);
      rounds.push({ ours: summarize(round[0]).median, peer: summarize(round[1]).median });
    }
    const after = await Promise.all(sides.map((side) => side.usage()));
    const cpuMs = sides.map((_, i) => (after[i].cpuMs - before[i].cpuMs) / all[i].length);
    return { rounds, ours: all[0], peer: all[1], cpuMs };
  } finally {
    for (const side of sides) await side.stop();
  }
}

/** A side's CPU per connection; /proc counts ssh's in 10 ms ticks, so none counted means less than one tick over them all. */
function perConnection(rounds: LatencyRounds, side: 0 | 1): string {
  const count = side === 0 ? rounds.ours.length : rounds.peer.length;
  return rounds.cpuMs[side] === 0 ? `< ${(10 / count).toFixed(2)}` : rounds.cpuMs[side].toFixed(2);
}

async function measureLine(line: Line, probe: Probe, service: Service): Promise<Figure[]> {
  const { bytes, runs } = line;
  const throughput = await throughputRounds(line, probe, service);
  const latency = await latencyRounds(line, probe, service.banner);
  const answered = await latencyRounds(line, probe, service.answer, httpRequest);

  const mbps = (ms: number) => bytes / 2 ** 20 / (ms / 1000);
  const size = `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const median = (values: number[], digits = 1) => summarize(values).median.toFixed(digits);
  const cpu = (transfers: Transfer[]) => median(transfers.map((t) => t.cpuMs / (bytes / 2 ** 20)), 2);
  const busy = (transfers: Transfer[]) => median(transfers.map((t) => (100 * t.cpuMs) / t.ms), 0);
  const cpuNote = (pairs: { ours: Transfer; peer: Transfer }[]) =>
    `CPU of the forwarding process per MB: ours ${cpu(pairs.map((p) => p.ours))} ms (busy ${busy(pairs.map((p) => p.ours))}% of the wall time), ` +
    `ssh ${cpu(pairs.map((p) => p.peer))} ms (busy ${busy(pairs.map((p) => p.peer))}%)`;
  const speeds = (pairs: { ours: Transfer; peer: Transfer }[]) => pairs.map((p) => ({ ours: mbps(p.ours.ms), peer: mbps(p.peer.ms) }));
  const throughputTarget = { bound: 0.8, atLeast: true, text: '≥ 0.8 × OpenSSH' };

  const down = pairedFigure(`${line.prefix}.downloadMBps`, 'MB/s', speeds(throughput.down), line.peerName, throughputTarget);
  down.note =
    `${size} from the service on the instance's 127.0.0.1 through one local connection, ${line.via}, from the request to the last byte, ${runs} rounds alternating which side goes first; ` +
    'ciphers: ours aes128-gcm@openssh.com (ssh2\'s first choice without its native binding), ssh chacha20-poly1305@openssh.com (its default); ' +
    `${cpuNote(throughput.down)}; forward started in ${throughput.startMs[0].toFixed(0)} ms (ours: key push, handshake, the remote side tried once) against ${throughput.startMs[1].toFixed(0)} ms (ssh, an authorized key)`;
  const up = pairedFigure(`${line.prefix}.uploadMBps`, 'MB/s', speeds(throughput.up), line.peerName, throughputTarget);
  up.note = `${size} to the service through one local connection, from the first byte written to the service's answer that it has them all; ${cpuNote(throughput.up)}`;
  const connection = pairedFigure(`${line.prefix}.connectionMs`, 'ms', latency.rounds, line.peerName, { bound: 1.25, atLeast: false, text: '≤ 1.25 × OpenSSH' }, latency);
  connection.note =
    `a new TCP connection to the local port → the first byte of the service's banner (a direct-tcpip channel opened, sshd connecting to the service), the SSH connection already up; ` +
    `${line.latencyRounds} rounds of ${line.connectionsPerRound} connections a side, one at a time, alternating which side goes first; the per-round ratio is of the rounds' medians; ` +
    `90th percentile: ours ${quantile(latency.ours, 0.9).toFixed(2)} ms, OpenSSH ${quantile(latency.peer, 0.9).toFixed(2)} ms; ` +
    `CPU per connection: ours ${perConnection(latency, 0)} ms, ssh ${perConnection(latency, 1)} ms. ` +
    "Both are mostly one timer: sshd turns Nagle's algorithm off only once a session has a pty, so on a connection that carries only forwards it holds the banner " +
    'until the client acknowledges its channel confirmation, which the client delays (about 40 ms on Linux); a terminal (a pty session) on the same connection ends the wait';
  const request = pairedFigure(`${line.prefix}.requestMs`, 'ms', answered.rounds, line.peerName, { bound: 1.25, atLeast: false, text: '≤ 1.25 × OpenSSH' }, answered);
  request.note =
    `the same with a client that speaks first (an HTTP request written at once, the first byte of the answer timed): the request's packet acknowledges sshd's channel confirmation, so sshd's Nagle does not hold the answer back; ` +
    `90th percentile: ours ${quantile(answered.ours, 0.9).toFixed(2)} ms, OpenSSH ${quantile(answered.peer, 0.9).toFixed(2)} ms; ` +
    `CPU per connection: ours ${perConnection(answered, 0)} ms, ssh ${perConnection(answered, 1)} ms. ` +
    'What makes ours slower is CPU on the way, which 2 shared cores turn into waiting: ssh2 (without its native binding) creates a cipher for every packet ' +
    'and writes each packet as three writes (length, ciphertext, tag), which with Nagle off are three TCP segments, about 8 packets a connection';
  const { before, after } = throughput;
  const growth = figure(`${line.prefix}.rssGrowthMB`, 'MB', [after[0].maxRssMb - before[0].rssMb], { name: line.peerName, values: [after[1].maxRssMb - before[1].rssMb] });
  growth.note =
    `peak RSS during the transfers (the warm-up's included) less RSS with the forward up: ` +
    `ours ${before[0].rssMb.toFixed(0)} → ${after[0].maxRssMb.toFixed(0)} MB (a Node process with the core loaded), ssh ${before[1].rssMb.toFixed(1)} → ${after[1].maxRssMb.toFixed(1)} MB. ` +
    "Ours is mostly not data held (the forward's streams and ssh2's 2 MB windows queue at most a few MB) but Buffers already passed on that the GC " +
    'has not collected yet (ssh2 makes new ones for each packet it reads, decrypts and encrypts: tens of MB between collections), in memory the allocator ' +
    'keeps once they are freed; a process with that much freed memory already (as with the CommonJS SDK loaded, ~150 MB) shows little growth. bench/forwardMemory.ts shows it';
  const figures = [down, up, connection, request, growth];
  if (!line.targets) for (const f of figures) delete f.target;
  return figures;
}

export async function forwardBenchmark(bench: SshBench, options: ForwardOptions = {}): Promise<Figure[]> {
  const { instance, sandbox } = bench;
  const env = { ...sandbox.env, NODE_EXTRA_CA_CERTS: sandbox.manifest.caFile, XDG_CONFIG_HOME: sandbox.dir };
  const openSshName = openSshVersion().split(',')[0];
  const common = {
    bytes: options.bytes ?? 256 * 2 ** 20,
    runs: options.runs ?? 7,
    latencyRounds: options.latencyRounds ?? 10,
    connectionsPerRound: options.connectionsPerRound ?? 20,
  };
  const lines: Line[] = [
    {
      ...common,
      prefix: 'forward',
      via: `straight to ${instance.name}'s public address (sandbox sshd, ${instance.host}:${instance.port})`,
      target: { ...bench.target, connectionType: 'direct' },
      peer: (port) => openSsh((extra) => sshArgs(instance, bench.floorKey, bench.knownHosts, extra), port),
      peerName: `${openSshName} ssh -N -L`,
      targets: true,
    },
  ];
  if (options.endpoint !== false) {
    const cli = join(root, 'dist', 'cli.js');
    const proxy = `ProxyCommand="${process.execPath}" "${cli}" open-tunnel --instance-id ${instance.instanceId} --region ${instance.region}`;
    lines.push({
      ...common,
      bytes: Math.min(common.bytes, 64 * 2 ** 20),
      runs: Math.max(1, Math.ceil(common.runs / 2)),
      latencyRounds: Math.max(1, Math.ceil(common.latencyRounds / 2)),
      prefix: 'forward.eice',
      via: `through ${instance.name}'s Instance Connect Endpoint (a presigned TLS WebSocket, the sandbox's endpoint on loopback; ssh's CPU below leaves out its ProxyCommand's)`,
      target: { ...bench.target, connectionType: 'eice' },
      peer: (port) => openSsh((extra) => sshArgs(instance, bench.floorKey, bench.knownHosts, ['-o', proxy, ...extra]), port, env),
      peerName: `${openSshName} ssh -N -L, ProxyCommand ec2ic open-tunnel`,
      targets: false,
    });
  }
  const service = await startService();
  const figures: Figure[] = [];
  try {
    for (const line of lines) {
      // A process of ours for each line, as a new ssh is, so that its peak RSS is that line's.
      const probe = startProbe(sandbox.dir, env, options.nodeArgs);
      try {
        figures.push(...(await measureLine(line, probe, service)));
      } finally {
        await probe.exit();
      }
    }
  } finally {
    await service.stop();
  }
  return figures;
}
