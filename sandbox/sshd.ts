// One instance's OpenSSH server: its own host keys and config, listening on the instance's loopback address.
// It forwards TCP as a stock sshd does (AllowTcpForwarding yes) unless told not to, and counts the connections
// it accepted from its own log. Its readiness is read from the kernel, not probed with a connection, so that
// every connection it logs is a client's.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { HostKeyInfo } from './account';
import { isListening } from './proc-net-tcp';
import { childrenOf, descendantsOf, signal, waitUntilGone } from './processes';
import { fingerprintOf, parsePublicKeyLine } from './ssh-keys';

const run = promisify(execFile);

const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((path) => existsSync(path)) ?? '/usr/sbin/sshd';

/** ECDSA and Ed25519, as on an AWS image (RSA too there; left out here because generating it is slow). */
const HOST_KEY_TYPES = [
  { type: 'ecdsa', label: 'ECDSA', bits: 256 },
  { type: 'ed25519', label: 'ED25519', bits: 256 },
];

export interface SshdSpec {
  instanceId: string;
  host: string;
  port: number;
  /** The instance's directory inside the run dir. */
  dir: string;
  /** Comment on the host keys, as cloud-init writes them: root@<hostname>. */
  hostname: string;
  /** The lines that make it trust the pushed keys (KeyStore.sshdConfig). */
  keyTrust: string[];
}

/** The line sshd logs (LogLevel VERBOSE) for every TCP connection it accepts. */
const ACCEPTED = /^Connection from \S+ port \d+ on \S+ port \d+/gm;

export class Sshd {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  readonly logFile: string;
  private readonly configFile: string;
  private readonly pidFile: string;
  private config: string[] = [];
  private tcpForwarding = true;
  private reloaded: Promise<void> = Promise.resolve();

  constructor(readonly spec: SshdSpec) {
    this.logFile = join(spec.dir, 'sshd.log');
    this.configFile = join(spec.dir, 'sshd_config');
    this.pidFile = join(spec.dir, 'sshd.pid');
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Generates the host keys and writes the config; returns the keys for GetConsoleOutput. */
  async prepare(): Promise<HostKeyInfo[]> {
    const { dir, host, port, hostname, keyTrust } = this.spec;
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const keys = await Promise.all(HOST_KEY_TYPES.map(async ({ type, label, bits }) => {
      const file = join(dir, `ssh_host_${type}_key`);
      await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `root@${hostname}`, '-f', file]);
      const publicKey = readFileSync(`${file}.pub`, 'utf8').trim();
      const parsed = parsePublicKeyLine(publicKey);
      if (!parsed) throw new Error(`ssh-keygen wrote an unreadable key: ${file}.pub`);
      return { file, info: { publicKey, fingerprint: fingerprintOf(parsed.blob), bits, label } };
    }));
    this.config = [
      `# sshd of sandbox instance ${this.spec.instanceId}`,
      `ListenAddress ${host}:${port}`,
      ...keys.map(({ file }) => `HostKey ${file}`),
      `PidFile ${this.pidFile}`,
      ...keyTrust,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin no',
      'PrintMotd no',
      'LogLevel VERBOSE',
      'Subsystem sftp /usr/lib/openssh/sftp-server',
    ];
    this.writeConfig();
    return keys.map(({ info }) => info);
  }

  private writeConfig(): void {
    const forwarding = this.tcpForwarding ? [] : ['AllowTcpForwarding no'];
    writeFileSync(this.configFile, `${[...this.config, ...forwarding].join('\n')}\n`);
  }

  /** Starts the listener and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.pid) return;
    rmSync(this.pidFile, { force: true });
    // sshd re-executes itself, so it must be started by absolute path.
    const child = spawn(SSHD, ['-D', '-f', this.configFile, '-E', this.logFile], { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', () => undefined);
    if (await this.ready()) return;
    this.killSync();
    throw new Error(`sshd for ${this.spec.instanceId} did not start on ${this.spec.host}:${this.spec.port}\n${this.logTail()}`);
  }

  /**
   * Until it listens and has written its pid file (which sshd does once its signal handlers are set, so a
   * SIGHUP from then on reloads it rather than killing it). False when it exited or took over 10 s.
   */
  private async ready(): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && this.pid) {
      if (existsSync(this.pidFile) && isListening(this.spec.host, this.spec.port)) return true;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    return false;
  }

  private logTail(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
  }

  /**
   * `AllowTcpForwarding yes` (sshd's default) or `no`: rewrites the config and, when running, reloads it as an
   * administrator does (SIGHUP: sshd re-executes itself with the new config; open connections keep the old
   * one) and resolves once it accepts connections again.
   */
  setTcpForwarding(allow: boolean): Promise<void> {
    // One reload at a time: a SIGHUP before the re-executed sshd has set its handlers would end it.
    const next = this.reloaded.catch(() => undefined).then(async () => {
      if (this.tcpForwarding === allow) return;
      this.tcpForwarding = allow;
      this.writeConfig();
      const pid = this.pid;
      if (!pid) return;
      rmSync(this.pidFile, { force: true });
      signal(pid, 'SIGHUP');
      if (!(await this.ready())) throw new Error(`sshd for ${this.spec.instanceId} did not come back after SIGHUP\n${this.logTail()}`);
    });
    this.reloaded = next;
    return next;
  }

  /**
   * TCP connections accepted since the sandbox started (across restarts: the log is appended to), and open
   * now: the listener forks one process per connection, whatever happens under it.
   */
  connections(): { open: number; total: number } {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
    const pid = this.pid;
    return { open: pid ? childrenOf(pid).length : 0, total: log.match(ACCEPTED)?.length ?? 0 };
  }

  /** Cuts every open connection (the per-connection processes under the listener); keeps listening. */
  dropConnections(): number[] {
    const pid = this.pid;
    if (!pid) return [];
    const sessions = descendantsOf(pid);
    for (const session of sessions) signal(session, 'SIGKILL');
    return sessions;
  }

  async stop(): Promise<void> {
    const pid = this.pid;
    if (!pid) return;
    await waitUntilGone(this.dropConnections(), 2000);
    signal(pid, 'SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 2000).unref());
    if ((await Promise.race([this.exited, timeout])) === 'timeout') {
      signal(pid, 'SIGKILL');
      await this.exited;
    }
  }

  /** For process exit, where nothing asynchronous runs any more. */
  killSync(): void {
    const pid = this.pid;
    if (!pid) return;
    for (const session of descendantsOf(pid)) signal(session, 'SIGKILL');
    signal(pid, 'SIGKILL');
  }
}
