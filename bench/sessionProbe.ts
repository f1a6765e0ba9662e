/**
 * Our side of the connect, throughput, memory, keys and forward benchmarks, in a plain Node process of its own
 * that loads the production core (dist/core.js) as the extension does, so that its time and memory are
 * ours alone. The orchestrator (bench/probeProcess.ts) drives it one JSON line at a time on stdin and reads
 * one JSON line per request on stdout, which lets it interleave our runs with the peers'.
 * Environment: the sandbox's AWS_* variables; EC2IC_CORE: the path of dist/core.js.
 */
import { createInterface } from 'node:readline';

import type { Ec2Instance } from '../src/core/aws/model';
import { silentLogger } from '../src/core/base/log';
import { defaultSettings } from '../src/core/base/settings';
import { MemoryStore } from '../src/core/base/store';
import type * as Core from '../src/core/core';
import type { KeyType } from '../src/core/ssh/keys';
import { TerminalSession, type TerminalSessionHost } from '../src/editor/terminal/terminalSession';

export interface Target {
  instanceId: string;
  region: string;
  port: number;
  /** `eice`: through the instance's EC2 Instance Connect Endpoint; default: the setting's (auto). */
  connectionType?: 'direct' | 'eice';
}

export type Request =
  | { op: 'connect'; target: Target }
  /** `pty: false` runs the command without a pty (an exec channel) into the same adapter: no pty to slow either side. */
  | { op: 'throughput'; target: Target; bytes: number; terminalMBps?: number; pty?: boolean }
  | { op: 'memory'; targets: Target[] }
  | { op: 'keys'; type: KeyType; runs: number }
  /** `ssh -L` in this process (Forwards.forwardPort on a ConnectionPool), to `remote` as the instance reaches it. */
  | { op: 'forwardStart'; target: Target; remote: { host: string; port: number } }
  | { op: 'forwardStop'; id: string }
  /** This process's CPU time and memory now, to take a transfer's share from. */
  | { op: 'usage' }
  | { op: 'exit' };

export interface ForwardStarted {
  id: string;
  /** The local port it listens on (127.0.0.1). */
  port: number;
  /** From the request to listening with the connection up and the remote side tried once. */
  ms: number;
}

export interface ProcessUsage {
  cpuMs: number;
  rssMb: number;
  maxRssMb: number;
}

export interface ThroughputResult {
  ms: number;
  chars: number;
  /** RSS sampled every 20 ms while streaming, and the process's peak from the kernel. */
  sampledPeakRssMb: number;
  maxRssMb: number;
  rssBeforeMb: number;
  /** CPU time our process used while streaming (user + system). */
  cpuMs: number;
  /** How many writes the terminal got (one per SSH data packet): the stream's packet size. */
  writes: number;
}

export interface MemoryResult {
  sessions: number;
  baselineRssMb: number;
  rssMb: number;
  heapUsedMb: number;
}

const corePath = process.env.EC2IC_CORE;
if (!corePath) throw new Error('EC2IC_CORE must name dist/core.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle named at run time, as the editor loads it
const core = require(corePath) as typeof Core;
const clients = new core.AwsClients({ endpoint: process.env.AWS_ENDPOINT_URL });
const connector = new core.Connector({
  aws: () => clients,
  store: new MemoryStore(),
  settings: () => ({ ...defaultSettings, connectTimeoutSeconds: 15 }),
  log: silentLogger,
});
const instances = new Map<string, Promise<Ec2Instance>>();
const mb = (bytes: number) => bytes / (1024 * 1024);

/** The instance as the explorer's tree hands it to Connect: described once, then reused. */
function instance(target: Target): Promise<Ec2Instance> {
  let found = instances.get(target.instanceId);
  if (!found) {
    found = connector.resolveInstance({ instanceId: target.instanceId, region: target.region });
    instances.set(target.instanceId, found);
  }
  return found;
}

/** From "connect" to the first byte of the shell's output (its prompt). */
async function connect(target: Target): Promise<{ ms: number }> {
  const resolved = await instance(target);
  const started = performance.now();
  const { channel } = await connector.openShell({ instance: resolved, port: target.port, connectionType: target.connectionType }, { cols: 80, rows: 24 });
  const ms = await new Promise<number>((resolve) => channel.onData(() => resolve(performance.now() - started)));
  channel.close();
  return { ms };
}

/** A pause that blocks the thread without using the CPU: a terminal busy drawing on the extension's thread. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function block(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

interface Terminal {
  session: TerminalSession;
  /** Resolves on the first output after the shell opened, once output has been quiet for a moment. */
  prompted: Promise<void>;
  closed: Promise<number | undefined>;
  chars: number;
  writes: number;
}

/**
 * A terminal as the editor drives it: TerminalSession (the adapter behind the Pseudoterminal) on Connect's
 * ssh2 shell, its host a terminal that takes the text (and, when slow, takes its time over each write).
 */
function openTerminal(target: Target, terminalMBps?: number, command?: { line: string; onStart(): void }): Terminal {
  let onClose: (code: number | undefined) => void = () => {};
  let onFailure: (err: unknown) => void = () => {};
  let quiet: NodeJS.Timeout | undefined;
  let prompting = !command;
  let onPrompt: () => void = () => {};
  let onPromptFailure: (err: unknown) => void = () => {};
  const terminal = {
    chars: 0,
    writes: 0,
    prompted: new Promise<void>((resolve, reject) => {
      onPrompt = () => {
        prompting = false;
        resolve();
      };
      onPromptFailure = reject;
    }),
    closed: new Promise<number | undefined>((resolve, reject) => {
      onClose = resolve;
      onFailure = reject;
    }),
  } as Terminal;
  // A failed connection fails whichever of the two the caller awaits; the other must not be an unhandled rejection.
  terminal.prompted.catch(() => {});
  terminal.closed.catch(() => {});
  const host: TerminalSessionHost = {
    write: (text) => {
      terminal.chars += text.length;
      terminal.writes++;
      if (terminalMBps) block(text.length / (terminalMBps * 1000));
      if (prompting) {
        clearTimeout(quiet);
        quiet = setTimeout(onPrompt, 300);
      }
    },
    close: (code) => onClose(code),
    failed: (err) => {
      onPromptFailure(err);
      onFailure(err);
    },
  };
  terminal.session = new TerminalSession(async ({ size, signal }) => {
    const request = { instance: await instance(target), port: target.port, connectionType: target.connectionType, signal };
    if (!command) return (await connector.openShell(request, size)).channel;
    const { connection } = await connector.connect(request);
    command.onStart();
    return connection.exec(command.line);
  }, host);
  terminal.session.open({ cols: 80, rows: 24 });
  return terminal;
}

/**
 * `head -c BYTES /dev/zero` typed into the shell, timed from the keystroke to the terminal closing on exit;
 * without a pty, run as the channel's command, timed from the connection being up.
 */
async function throughput(target: Target, bytes: number, terminalMBps?: number, pty = true): Promise<ThroughputResult> {
  let rssBefore = 0;
  let sampledPeak = 0;
  let sampler: NodeJS.Timeout | undefined;
  let started = 0;
  let cpu = process.cpuUsage();
  const start = () => {
    cpu = process.cpuUsage();
    rssBefore = sampledPeak = process.memoryUsage.rss();
    sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())), 20);
    started = performance.now();
  };
  const command = `head -c ${bytes} /dev/zero`;
  const terminal = openTerminal(target, terminalMBps, pty ? undefined : { line: command, onStart: start });
  if (pty) {
    await terminal.prompted;
    terminal.chars = 0;
    terminal.writes = 0;
    start();
    terminal.session.input(`${command}; exit\r`);
  }
  const code = await terminal.closed;
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  if (code !== 0) throw new Error(`the shell exited with ${code}`);
  if (terminal.chars < bytes) throw new Error(`the terminal got ${terminal.chars} characters of ${bytes}`);
  return { ms, chars: terminal.chars, sampledPeakRssMb: mb(sampledPeak), maxRssMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb: mb(rssBefore), cpuMs: (used.user + used.system) / 1000, writes: terminal.writes };
}

/** RSS with every target's terminal open at its prompt (after a full GC when --expose-gc is given). */
async function memory(targets: Target[]): Promise<MemoryResult> {
  await Promise.all(targets.map(instance));
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  const terminals: Terminal[] = [];
  for (const target of targets) {
    const terminal = openTerminal(target);
    terminals.push(terminal);
    await terminal.prompted;
  }
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const usage = process.memoryUsage();
  for (const terminal of terminals) terminal.session.close();
  return { sessions: terminals.length, baselineRssMb: mb(baseline), rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed) };
}

/** Milliseconds per key pair, as Connect makes one for each connection. */
function keys(type: KeyType, runs: number): { ms: number[] } {
  const factory = new core.KeyFactory();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    factory.generate(type);
    ms.push(performance.now() - started);
  }
  return { ms };
}

const forwards = new Map<string, Core.Forwards>();

/**
 * A forward as the editor starts one: its own pool (so that no terminal of another benchmark shares its
 * connection), the instance as the tree hands it, the remote side tried once before listening.
 */
async function forwardStart(target: Target, remote: { host: string; port: number }): Promise<ForwardStarted> {
  const started = performance.now();
  const pool = new core.ConnectionPool({
    connector: new core.Connector({ aws: () => clients, store: new MemoryStore(), settings: () => ({ ...defaultSettings, connectTimeoutSeconds: 15, port: target.port }), log: silentLogger }),
    lingerSeconds: 0,
    log: silentLogger,
  });
  const registry = new core.Forwards({ pool, aws: () => clients, connectTimeoutSeconds: () => 15, log: silentLogger });
  const forward = await registry.forwardPort({
    instance: await instance(target),
    spec: { bindAddress: '127.0.0.1', localPort: 0, remoteHost: remote.host, remotePort: remote.port },
    connectionType: target.connectionType,
  });
  forwards.set(forward.id, registry);
  return { id: forward.id, port: forward.local.port, ms: performance.now() - started };
}

async function forwardStop(id: string): Promise<void> {
  await forwards.get(id)?.stopAll();
  forwards.delete(id);
}

function usage(): ProcessUsage {
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rssMb: mb(process.memoryUsage.rss()), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'connect':
      return connect(request.target);
    case 'throughput':
      return throughput(request.target, request.bytes, request.terminalMBps, request.pty);
    case 'memory':
      return memory(request.targets);
    case 'keys':
      return keys(request.type, request.runs);
    case 'forwardStart':
      return forwardStart(request.target, request.remote);
    case 'forwardStop':
      return forwardStop(request.id);
    case 'usage':
      return usage();
    case 'exit':
      process.exit(0);
  }
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify({ ok: await handle(JSON.parse(line) as Request) })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.stack ?? err.message : String(err) })}\n`);
    }
  });
});
lines.on('close', () => void queue.then(() => process.exit(0)));
