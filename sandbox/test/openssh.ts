// Real OpenSSH against a sandbox's instances: a key pushed with SendSSHPublicKey, then `ssh -N -L` port
// forwards as a user would run them (LogLevel INFO: where ssh reports a refused channel).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';

import type { Sandbox, SandboxInstance } from '../index';
import { tryBind } from '../loopback';
import { isListening } from '../proc-net-tcp';
import { eicClient, newKey, sleep } from './helpers';

export async function waitUntil(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

/** A key file whose public half is pushed for the instance's OS user; `done()` removes it. */
export async function pushedKeyFile(sandbox: Sandbox, instance: SandboxInstance): Promise<{ file: string; done: () => void }> {
  const key = newKey();
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-openssh-'));
  const file = join(dir, 'id_ed25519');
  writeFileSync(file, key.privateKey, { mode: 0o600 });
  await eicClient(sandbox, instance.region).send(new SendSSHPublicKeyCommand({
    InstanceId: instance.instanceId, InstanceOSUser: instance.osUser, SSHPublicKey: key.publicKey,
  }));
  return { file, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Forward {
  /** The local port on 127.0.0.1. */
  port: number;
  /** What ssh has written to stderr so far. */
  stderr: () => string;
  close: () => Promise<void>;
}

/** `ssh -N -L 127.0.0.1:<free port>:<to>` through the instance; resolves once the local port listens. */
export async function forward(instance: SandboxInstance, keyFile: string, to: string): Promise<Forward> {
  const port = (await tryBind('127.0.0.1', 0))!;
  const child: ChildProcess = spawn('ssh', [
    '-i', keyFile, '-p', String(instance.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'ExitOnForwardFailure=yes', '-o', 'LogLevel=INFO',
    '-N', '-L', `127.0.0.1:${port}:${to}`, `${instance.osUser}@${instance.host}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  try {
    await waitUntil(() => isListening('127.0.0.1', port) || child.exitCode !== null, `ssh -L listens on ${port}`);
    assert.equal(child.exitCode, null, `ssh exited: ${stderr}`);
  } catch (error) {
    await close();
    throw error;
  }
  return { port, stderr: () => stderr, close };
}
