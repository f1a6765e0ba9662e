// The sandbox cleans up after itself: stop() ends every sshd and session it started, the CLI does the same
// on SIGTERM, and a sandbox killed with SIGKILL is cleaned up by the next one.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';

import { type SandboxManifest, startSandbox } from '../index';
import { eicClient, instanceNamed, newKey, sleep, sshConnect } from './helpers';

const scratch = mkdtempSync(join(tmpdir(), 'sandbox-lifecycle-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** sshd listeners started with a config in `runDir`, and every process under them (sessions, shells). */
function sshdProcesses(runDir: string): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).trim().split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!).map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args }));
  const found = rows.filter((row) => row.args.includes('sshd') && row.args.includes(runDir)).map((row) => row.pid);
  for (let index = 0; index < found.length; index++) {
    for (const row of rows) if (row.ppid === found[index] && !found.includes(row.pid)) found.push(row.pid);
  }
  return found;
}

/** Running, not a zombie (an exited process its parent has not collected yet holds nothing). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** Starts the CLI and resolves with its run directory once it has written the manifest. */
async function startCli(command: string, args: string[], manifestFile: string): Promise<{ child: ChildProcess; runDir: string; output: () => string }> {
  const child = spawn(command, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  await waitUntil(() => existsSync(manifestFile) || child.exitCode !== null, 'the CLI wrote its manifest', 30_000);
  assert.equal(child.exitCode, null, output);
  const runDir = /run directory\s+(\S+)/.exec(output)?.[1];
  assert.ok(runDir, output);
  return { child, runDir, output: () => output };
}

test('stop() ends every sshd listener and session it started, and removes its directory', async () => {
  const sandbox = await startSandbox();
  const web = instanceNamed(sandbox, 'web-prod-1');
  const key = newKey();
  await eicClient(sandbox).send(new SendSSHPublicKeyCommand({ InstanceId: web.instanceId, InstanceOSUser: web.osUser, SSHPublicKey: key.publicKey }));
  const session = await sshConnect({ host: web.host, port: web.port, username: web.osUser, privateKey: key.privateKey });
  session.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
  const processes = sshdProcesses(sandbox.runDir);
  const running = sandbox.manifest.instances.filter((instance) => instance.state === 'running' && !instance.platform).length;
  assert.ok(processes.length > running, 'the listeners and the open session\'s processes');

  await sandbox.stop();
  await closed;
  assert.deepEqual(processes.filter(alive), []);
  assert.deepEqual(sshdProcesses(sandbox.runDir), []);
  assert.equal(existsSync(sandbox.runDir), false);
  await sandbox.stop();
});

test('npm run sandbox writes the manifest and prints how to use it; SIGTERM leaves no sshd', async () => {
  const manifestFile = join(scratch, 'manifest.json');
  const cli = await startCli('npm', ['run', '--silent', 'sandbox', '--', '--manifest', manifestFile, '--instances', '20'], manifestFile);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SandboxManifest;
  assert.match(manifest.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(manifest.instances.length, 14);
  const live = (await (await fetch(`${manifest.endpoint}/_sandbox/manifest`)).json()) as SandboxManifest;
  assert.deepEqual(live.credentials, manifest.credentials);
  for (const expected of [`export AWS_ENDPOINT_URL=${manifest.endpoint}`, 'export AWS_ACCESS_KEY_ID=', 'export AWS_REGION=us-east-1',
    `"ec2InstanceConnect.endpoint": "${manifest.endpoint}"`, manifest.instances[0].instanceId, 'and 20 generated instances']) {
    assert.ok(cli.output().includes(expected), `the CLI prints ${expected}`);
  }
  const processes = sshdProcesses(cli.runDir);
  assert.ok(processes.length >= 7);

  const exited = new Promise<number | null>((resolve) => cli.child.once('exit', (code) => resolve(code)));
  cli.child.kill('SIGTERM');
  assert.equal(await exited, 0, cli.output());
  await waitUntil(() => processes.every((pid) => !alive(pid)), 'every sshd of the CLI has exited');
  assert.equal(existsSync(cli.runDir), false);
});

test('the sshd servers of a sandbox killed with SIGKILL are reaped by the next sandbox', async () => {
  const manifestFile = join(scratch, 'killed.json');
  const cli = await startCli(process.execPath, ['--import', 'tsx', 'sandbox/main.ts', '--manifest', manifestFile], manifestFile);
  const processes = sshdProcesses(cli.runDir);
  assert.ok(processes.length >= 7);
  const exited = new Promise<void>((resolve) => cli.child.once('exit', () => resolve()));
  cli.child.kill('SIGKILL');
  await exited;
  assert.ok(processes.every(alive), 'SIGKILL leaves its sshd servers running');

  const next = await startSandbox();
  try {
    await waitUntil(() => processes.every((pid) => !alive(pid)), 'the orphaned sshd servers are gone');
    assert.equal(existsSync(cli.runDir), false);
  } finally {
    await next.stop();
  }
});
