/**
 * The sandbox in its own process for a benchmark, so that its CPU and memory are not counted as ours,
 * and ours and the peers' calls all reach it the same way.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { SandboxManifest } from '../sandbox';

const root = join(__dirname, '..');

export interface SandboxProcess {
  manifest: SandboxManifest;
  /** A private scratch directory, removed by stop(). */
  dir: string;
  /** The AWS_* variables a child process (ours or the AWS CLI) needs to reach the sandbox, with no config files. */
  env: NodeJS.ProcessEnv;
  injectFault(fault: object): Promise<void>;
  stop(): Promise<void>;
}

/** `args` are `npm run sandbox` options, e.g. ['--no-ssh', '--instances', '10000'] or ['--key-window', '86400']. */
export async function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'ec2ic-bench-'));
  const manifestFile = join(dir, 'manifest.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts', ...args, '--manifest', manifestFile], { cwd: root, stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  let manifest: SandboxManifest | undefined;
  while (!manifest) {
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SandboxManifest;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error('the sandbox did not start within 60 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const endpoint = manifest.endpoint;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: manifest.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: manifest.credentials.secretAccessKey,
    AWS_REGION: manifest.regions[0],
    AWS_DEFAULT_REGION: manifest.regions[0],
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  return {
    manifest,
    dir,
    env,
    async injectFault(fault) {
      const response = await fetch(`${endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(fault), headers: { 'content-type': 'application/json' } });
      if (!response.ok) throw new Error(`the sandbox refused the fault ${JSON.stringify(fault)}: ${response.status} ${await response.text()}`);
    },
    stop,
  };
}
