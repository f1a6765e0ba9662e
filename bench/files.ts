/**
 * files: an instance's files through our core (InstanceFiles → RemoteFiles: one SFTP session on the
 * ConnectionPool's shared ssh2 connection, in a plain Node process as the extension host runs it) against
 * OpenSSH `sftp -b` with an already-authorized key, both to the same sshd and its sftp-server, straight to
 * the instance's public address, each side with its own default cipher.
 *   - writeFile of a 50 MB buffer against `put` of a 50 MB local file; target ≥ 0.8 × OpenSSH;
 *   - readFile of a 50 MB file against `get` of it to /dev/null; target ≥ 0.8 × OpenSSH;
 *   - readDirectory of a folder of 10,000 files against `ls -1` of it, as a time; target ≤ 1.25 × OpenSSH.
 * Our SFTP session is open before anything is timed (the editor keeps one per instance); OpenSSH's is timed
 * inside its batch (see sftpTimed), so that neither side's login is counted. Rounds alternate which side
 * goes first; a target is met only when the median ratio and the worse quartile of the rounds' ratios meet it.
 */
import { execFile, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

import { buildSync } from 'esbuild';

import type { FilesRequest, FilesTimed } from './filesProbe';
import { openSshVersion, sshArgs } from './peers';
import type { SshBench } from './sshBench';
import { type Figure, pairedFigure } from './stats';

const root = join(__dirname, '..');
const run = promisify(execFile);

export interface FilesOptions {
  runs?: number;
  /** The size of the file written and read. */
  bytes?: number;
  /** Files in the folder listed. */
  entries?: number;
}

interface FilesProbe {
  request<T>(request: FilesRequest): Promise<T>;
  exit(): Promise<void>;
}

/** Bundles bench/filesProbe.ts into `dir` and starts it on dist/core.js, as bench/probeProcess.ts does the session probe. */
function startFilesProbe(dir: string, env: NodeJS.ProcessEnv): FilesProbe {
  const file = join(dir, 'filesProbe.js');
  buildSync({ entryPoints: [join(__dirname, 'filesProbe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: file, external: ['vscode', 'cpu-features', '*.node'], logLevel: 'error' });
  const child = spawn(process.execPath, ['--no-warnings', file], { cwd: root, env: { ...env, EC2IC_CORE: join(root, 'dist', 'core.js') }, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((line: string) => void)[] = [];
  child.stdin.on('error', () => {});
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const waiter of waiting.splice(0)) waiter(JSON.stringify({ error: `the files probe exited with ${code}` }));
  });
  return {
    request<T>(request: FilesRequest): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push((line) => {
          const answer = JSON.parse(line) as { ok?: T; error?: string };
          if (answer.error !== undefined) reject(new Error(`files probe ${request.op}: ${answer.error}`));
          else resolve(answer.ok as T);
        });
        child.stdin.write(`${JSON.stringify(request)}\n`);
      });
    },
    async exit() {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end();
      await exited;
    },
  };
}

/** A timestamp line from inside the batch: sftp runs `!` lines through the local shell. */
const stamp = '!echo ec2ic-stamp $(date +%s%N)';

/**
 * Milliseconds of one sftp command inside a batch, the login and sftp's start left out: three timestamps
 * taken by the local shell around it, less the time one timestamp takes (the first two's difference).
 * Also the command's output lines (sftp's own echo of the batch and the stamps removed).
 */
async function sftpTimed(bench: SshBench, dir: string, command: string): Promise<{ ms: number; lines: string[] }> {
  const { instance } = bench;
  const batch = join(dir, 'files.batch');
  writeFileSync(batch, [stamp, stamp, command, stamp, ''].join('\n'));
  // sshArgs' options, with sftp's -P for the port and the batch, ahead of the destination.
  const args = sshArgs(instance, bench.floorKey, bench.knownHosts);
  const destination = args.pop()!;
  const portAt = args.indexOf('-p');
  args.splice(portAt, 2, '-P', String(instance.port));
  const { stdout } = await run('sftp', [...args, '-b', batch, destination], { maxBuffer: 64 * 2 ** 20 });
  const stamps: number[] = [];
  const lines: string[] = [];
  for (const line of stdout.split('\n')) {
    const found = /^ec2ic-stamp (\d+)$/.exec(line);
    if (found) stamps.push(Number(BigInt(found[1]) / 1000n) / 1000);
    else if (line && !line.startsWith('sftp>')) lines.push(line);
  }
  if (stamps.length !== 3) throw new Error(`sftp's batch gave ${stamps.length} timestamps of 3: ${stdout.slice(0, 500)}`);
  return { ms: stamps[2] - stamps[1] - (stamps[1] - stamps[0]), lines };
}

type Pair = { ours: number; peer: number };

/** `runs` rounds of ours and OpenSSH's, alternating which goes first. */
async function rounds(runs: number, ours: () => Promise<number>, peer: () => Promise<number>): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let i = 0; i < runs; i++) {
    const pair: Partial<Pair> = {};
    for (const which of i % 2 === 0 ? (['ours', 'peer'] as const) : (['peer', 'ours'] as const)) pair[which] = await (which === 'ours' ? ours() : peer());
    pairs.push(pair as Pair);
  }
  return pairs;
}

export async function filesBenchmark(bench: SshBench, options: FilesOptions = {}): Promise<Figure[]> {
  const runs = options.runs ?? 5;
  const bytes = options.bytes ?? 50 * 2 ** 20;
  const entries = options.entries ?? 10_000;
  const { instance, sandbox } = bench;
  const dir = sandbox.dir;
  const folder = 'ec2ic-bench-files';
  const ssh = (command: string) => run('ssh', [...sshArgs(instance, bench.floorKey, bench.knownHosts), command], { maxBuffer: 2 ** 20 });

  // On the instance, once: the file both sides read and the folder both list, made by OpenSSH.
  await ssh(`rm -rf ${folder} && mkdir -p ${folder}/list && head -c ${bytes} /dev/urandom > ${folder}/read.bin && cd ${folder}/list && seq 1 ${entries} | xargs touch`);
  const local = join(dir, 'put.bin');
  writeFileSync(local, randomFillSync(Buffer.alloc(bytes)));

  const probe = startFilesProbe(dir, { ...sandbox.env });
  try {
    const opened = await probe.request<{ home: string; ms: number }>({ op: 'open', target: { instanceId: instance.instanceId, region: instance.region, osUser: instance.osUser, port: instance.port } });
    const at = (name: string) => posix.join(opened.home, folder, name);
    const oursTimed = async (request: FilesRequest, expected: number) => {
      const result = await probe.request<FilesTimed>(request);
      if (result.count !== expected) throw new Error(`ours ${request.op}: ${result.count} of ${expected}`);
      return result.ms;
    };
    const write = () => oursTimed({ op: 'write', path: at('ours.bin'), bytes }, bytes);
    const read = () => oursTimed({ op: 'read', path: at('read.bin') }, bytes);
    const list = () => oursTimed({ op: 'list', path: at('list') }, entries);
    const put = async () => (await sftpTimed(bench, dir, `put ${local} ${folder}/openssh.bin`)).ms;
    const get = async () => (await sftpTimed(bench, dir, `get ${folder}/read.bin /dev/null`)).ms;
    const ls = async () => {
      const { ms, lines } = await sftpTimed(bench, dir, `ls -1 ${folder}/list`);
      if (lines.length !== entries) throw new Error(`sftp ls -1 listed ${lines.length} of ${entries}`);
      return ms;
    };

    // Not counted: ours once each (the first write creates the file, later ones replace it; the JIT; buffers grown once).
    await write();
    await read();
    await list();
    const writes = await rounds(runs, write, put);
    const reads = await rounds(runs, read, get);
    const lists = await rounds(runs, list, ls);

    const peerName = `${openSshVersion().split(',')[0]} sftp -b`;
    const mbps = (pairs: Pair[]) => pairs.map((p) => ({ ours: bytes / 2 ** 20 / (p.ours / 1000), peer: bytes / 2 ** 20 / (p.peer / 1000) }));
    const throughput = { bound: 0.8, atLeast: true, text: '≥ 0.8 × OpenSSH' };
    const size = `${(bytes / 2 ** 20).toFixed(0)} MB`;
    const method =
      `our SFTP session already open (opened in ${opened.ms.toFixed(0)} ms: key push, handshake, the sftp subsystem), the call timed in our process; ` +
      "OpenSSH timed inside one `sftp -b` batch per round, so that its start and login are left out: the local shell's timestamps (`!echo $(date +%s%N)`) " +
      'before and after the command, less the time one timestamp takes (measured in the same batch); ' +
      `${runs} rounds alternating which side goes first, straight to ${instance.name}'s public address (sandbox sshd and its sftp-server); ` +
      "ciphers: ours aes128-gcm@openssh.com (ssh2's first choice without its native binding), sftp chacha20-poly1305@openssh.com (its default)";
    const writeFigure = pairedFigure('files.writeMBps', 'MB/s', mbps(writes), peerName, throughput);
    writeFigure.note =
      `RemoteFiles.writeFile of a ${size} buffer of random bytes over an existing file (create, overwrite: as a save does, to a temporary file beside it, ` +
      `its mode set, then renamed over it) against \`put\` of a ${size} local file of random bytes (written in place); ${method}`;
    const readFigure = pairedFigure('files.readMBps', 'MB/s', mbps(reads), peerName, throughput);
    readFigure.note = `RemoteFiles.readFile of a ${size} file of random bytes into memory against \`get\` of the same file to /dev/null; the same method`;
    const listFigure = pairedFigure('files.list10kMs', 'ms', lists, peerName, { bound: 1.25, atLeast: false, text: '≤ 1.25 × OpenSSH' });
    listFigure.note =
      `RemoteFiles.readDirectory of a folder of ${entries.toLocaleString('en-US')} empty files (names with their kinds) against \`ls -1\` of it (names printed), ` +
      'as a time: the target ≤ 1.25 × OpenSSH\'s time is ≥ 0.8 × its throughput; the same method';
    return [writeFigure, readFigure, listFigure];
  } finally {
    await probe.exit();
    await ssh(`rm -rf ${folder}`).catch(() => undefined);
  }
}
