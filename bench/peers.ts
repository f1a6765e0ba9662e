/**
 * The tools a user would run instead of the extension, driven the way a user runs them: OpenSSH's `ssh`
 * and `ssh-keygen`, and the AWS CLI's `aws ec2-instance-connect send-ssh-public-key`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SshTarget {
  host: string;
  port: number;
  user: string;
}

/** The AWS CLI's version line, or undefined when this machine has no `aws` (a fresh machine may not). */
export function awsCliVersion(): string | undefined {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

export function openSshVersion(): string {
  return execFileSync('ssh', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || 'OpenSSH';
}

/** A key pair on disk, as a user of the two-step path keeps one. */
export function sshKeygen(file: string, type: 'ed25519' | 'rsa' = 'ed25519'): { file: string; publicKey: string } {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', 'bench', '-f', file]);
  return { file, publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

/**
 * `ssh` with no user configuration, the given key only, no prompts, and its own known_hosts (trust on first
 * use, as the extension does).
 */
export function sshArgs(target: SshTarget, key: string, knownHosts: string, extra: string[] = []): string[] {
  return [
    '-F', '/dev/null',
    '-i', key,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=accept-new',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'LogLevel=ERROR',
    '-p', String(target.port),
    ...extra,
    `${target.user}@${target.host}`,
  ];
}

/** Spawns an interactive `ssh -tt` and resolves with the milliseconds from `since` to its first byte of output, then ends it. */
export function sshFirstByte(args: string[], since = performance.now()): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', ['-tt', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let ms: number | undefined;
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdout.once('data', () => {
      ms = performance.now() - since;
      child.kill('SIGTERM');
    });
    child.once('error', reject);
    child.once('exit', (code) => (ms !== undefined ? resolve(ms) : reject(new Error(`ssh exited with ${code} before any output: ${stderr.trim()}`))));
  });
}

export interface TwoStepTarget extends SshTarget {
  instanceId: string;
  region: string;
  availabilityZone: string;
  endpoint: string;
}

/** What a user does today: push their key with the AWS CLI, then `ssh -i` within the 60 seconds. Milliseconds to the prompt's first byte. */
export async function twoStep(target: TwoStepTarget, key: { file: string }, knownHosts: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  await run(
    'aws',
    [
      'ec2-instance-connect', 'send-ssh-public-key',
      '--instance-id', target.instanceId,
      '--instance-os-user', target.user,
      '--ssh-public-key', `file://${key.file}.pub`,
      '--availability-zone', target.availabilityZone,
      '--region', target.region,
      '--endpoint-url', target.endpoint,
    ],
    { env },
  );
  return sshFirstByte(sshArgs(target, key.file, knownHosts), started);
}

/** An OpenSSH master connection, so that later `ssh -S` sessions skip the handshake (as ours reuse nothing but start after it). */
export async function sshMaster(target: SshTarget, key: string, knownHosts: string, dir: string): Promise<{ args: string[]; stop(): Promise<void> }> {
  const socket = join(dir, 'ssh-master.sock');
  const master = spawn('ssh', ['-M', '-S', socket, '-N', ...sshArgs(target, key, knownHosts)], { stdio: 'ignore' });
  const exited = new Promise((resolve) => master.once('exit', resolve));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await run('ssh', ['-S', socket, '-O', 'check', '-F', '/dev/null', `${target.user}@${target.host}`]);
      break;
    } catch (err) {
      if (Date.now() > deadline || master.exitCode !== null) throw new Error(`the OpenSSH master connection did not come up: ${String(err)}`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    args: ['-S', socket, '-F', '/dev/null', '-p', String(target.port), `${target.user}@${target.host}`],
    async stop() {
      master.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident and proportional set sizes of a process, in MB (PSS splits shared pages among the processes sharing them). */
export function memoryOf(pid: number): { rssMb: number; pssMb: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
  return { rssMb: kb('Rss') / 1024, pssMb: kb('Pss') / 1024 };
}
