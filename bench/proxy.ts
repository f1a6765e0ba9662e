/**
 * proxy: `ssh <alias> true` through the host entry that Open in Remote-SSH writes, whose ProxyCommand runs
 * `ec2ic proxy` (node, the CLI copied beside the handoff's key as the editor copies it): the CLI starts, loads
 * what it needs, describes the instance, pushes the key while it connects, then relays ssh's own handshake.
 * Against OpenSSH straight to the same instance with a key that is already authorized (no push, no proxy),
 * interleaved, each a fresh ssh process. Target: ≤ 1.6 × OpenSSH, judged run by run (stats.ts atMost).
 *   npx tsx bench/proxy.ts [RUNS]   (after npm run build)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { handoffFiles, handoffKeyPair, writeHandoff } from '../src/core/remote/handoff';
import { openSshVersion, sshArgs } from './peers';
import { type SshBench, startSshBench } from './sshBench';
import { atMost, type Figure, pairedRatios, pairedRunsFigure } from './stats';

const root = join(__dirname, '..');

/** Milliseconds from spawning `ssh …` to its exit, which must be 0. */
function timedSsh(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('ssh', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`ssh ${args.join(' ')} exited with ${code}: ${stderr.trim()}`))));
  });
}

export async function proxyBenchmark(bench: SshBench, runs = 20): Promise<Figure[]> {
  const { instance, sandbox } = bench;
  const files = handoffFiles(join(sandbox.dir, 'remote-ssh'));
  const block = await writeHandoff({
    files,
    entry: { instanceId: instance.instanceId, name: instance.name, region: instance.region, user: instance.osUser, port: instance.port },
    // As code-server and ec2ic write it: node runs the copy of the CLI.
    runtime: { executable: process.execPath, electron: false, cliScript: files.cliCopy },
    platform: process.platform,
    generateKey: handoffKeyPair,
    bundleDir: join(root, 'dist'),
  });
  const knownHosts = join(sandbox.dir, 'proxy_known_hosts');
  const ours = ['-F', files.hostFile, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'LogLevel=ERROR', block.alias, 'true'];
  const floor = [...sshArgs(instance, bench.floorKey, bench.knownHosts), 'true'];
  const env = { ...sandbox.env, HOME: sandbox.dir };
  const mine: number[] = [];
  const openssh: number[] = [];
  // One run each first, not counted: the host key seen once, the files read once into the page cache.
  await timedSsh(ours, env);
  await timedSsh(floor, env);
  for (let i = 0; i < runs; i++) {
    mine.push(await timedSsh(ours, env));
    openssh.push(await timedSsh(floor, env));
  }
  const f = pairedRunsFigure('proxy.sshTrue', 'ms', mine, { name: `${openSshVersion().split(',')[0]} with an already-authorized key`, values: openssh });
  f.target = atMost(pairedRatios(mine, openssh), 1.6, '≤ 1.6 × OpenSSH', (v) => `${v.toFixed(2)}×`);
  f.note =
    `\`ssh <alias> true\` through the host entry Open in Remote-SSH writes (ProxyCommand: node, the CLI copy, \`ec2ic proxy\`; credentials and endpoint from the environment) ` +
    `against \`ssh -i <authorized key> ${instance.osUser}@${instance.host} true\`; each a fresh ssh process, interleaved; one warm-up run each not counted`;
  return [f];
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 20);
  void (async () => {
    const bench = await startSshBench();
    try {
      process.stdout.write(`${JSON.stringify(await proxyBenchmark(bench, runs), null, 2)}\n`);
    } finally {
      await bench.stop();
    }
  })().catch((err: unknown) => {
    process.stderr.write(`proxy benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
