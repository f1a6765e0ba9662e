// As root the sandbox creates the OS users its instances log in as, shares them between the sandboxes that
// run at once, and removes the ones it created when the last sandbox holding them stops: nothing of them
// stays in /etc/passwd, /etc/group, /etc/shadow or /home. Each test gives its sandboxes OS users of their
// own (osUserPrefix), so that the sandboxes of test files running beside it hold none of them.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';

import { type Sandbox, type SandboxInstance, startSandbox } from '../index';
import { registryFile } from '../os-users';
import { eicClient, newKey, sshRun } from './helpers';

const root = process.getuid?.() === 0;
const skip = root ? false : 'needs root: only a sandbox running as root creates OS users (otherwise every instance logs in as the current user)';

/** The family users of the default account, each behind its own prefix. */
const FAMILY_USERS = ['ec2-user', 'ubuntu', 'centos', 'admin', 'bitnami', 'fedora'];

function entry(file: string, name: string): string | undefined {
  return readFileSync(file, 'utf8').split('\n').find((line) => line.startsWith(`${name}:`));
}

/** Where a user of that name still shows on this machine: none of it once the sandbox has removed it. */
function tracesOf(name: string): string[] {
  const traces = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow'].filter((file) => existsSync(file) && entry(file, name) !== undefined);
  if (existsSync(join('/home', name))) traces.push(join('/home', name));
  return traces;
}

function linuxUsers(sandbox: Sandbox): string[] {
  return [...new Set(sandbox.manifest.instances.filter((instance) => !instance.platform).map((instance) => instance.osUser))].sort();
}

function registeredHolders(): { pid: number; runDir: string; users: string[] }[] {
  try {
    return (JSON.parse(readFileSync(registryFile(), 'utf8')) as { holders: { pid: number; runDir: string; users: string[] }[] }).holders;
  } catch {
    return [];
  }
}

async function whoami(sandbox: Sandbox, instance: SandboxInstance): Promise<string> {
  const key = newKey();
  await eicClient(sandbox, instance.region).send(new SendSSHPublicKeyCommand({
    InstanceId: instance.instanceId, InstanceOSUser: instance.osUser, SSHPublicKey: key.publicKey,
  }));
  return (await sshRun({ host: instance.host, port: instance.port, username: instance.osUser, privateKey: key.privateKey }, 'whoami')).trim();
}

test('two sandboxes share the OS users; the first to stop leaves them to the other, the last removes them', { skip }, async () => {
  const prefix = `t${process.pid}a-`;
  const expected = FAMILY_USERS.map((user) => `${prefix}${user}`).sort();
  for (const name of expected) assert.deepEqual(tracesOf(name), [], `${name} does not exist before the test`);
  const first = await startSandbox({ osUserPrefix: prefix });
  let second: Sandbox | undefined;
  try {
    second = await startSandbox({ osUserPrefix: prefix });
    assert.deepEqual(linuxUsers(first), expected);
    assert.deepEqual(linuxUsers(second), expected);
    for (const name of expected) {
      assert.ok(entry('/etc/passwd', name), `${name} is in /etc/passwd`);
      assert.ok(existsSync(join('/home', name)), `${name} has a home`);
    }
    const holders = registeredHolders().filter((holder) => [first.runDir, second!.runDir].includes(holder.runDir));
    assert.equal(holders.length, 2, 'both sandboxes hold the users');

    await first.stop();
    for (const name of expected) assert.ok(entry('/etc/passwd', name), `${name} stays while the second sandbox runs`);
    // The second sandbox still logs in as each family's user.
    const live = second;
    await Promise.all(['web-prod-1', 'api-staging', 'legacy-reports', 'eu-web-1', 'wordpress-blog', 'fedora-dev'].map(async (name) => {
      const instance = live.manifest.instances.find((candidate) => candidate.name === name)!;
      assert.equal(await whoami(live, instance), instance.osUser, name);
    }));

    await second.stop();
    for (const name of expected) assert.deepEqual(tracesOf(name), [], `nothing of ${name} is left`);
    assert.equal(registeredHolders().filter((holder) => [first.runDir, live.runDir].includes(holder.runDir)).length, 0);
  } finally {
    await first.stop();
    await second?.stop();
  }
});

test('a user that existed before the sandbox started stays, with its password field as it was', { skip }, async () => {
  const prefix = `t${process.pid}b-`;
  const existing = `${prefix}admin`;
  // A real account: locked (`!`), which sshd refuses even for key logins until the sandbox unlocks it.
  execFileSync('useradd', ['-m', '-s', '/bin/bash', existing]);
  try {
    const before = entry('/etc/shadow', existing)!.split(':')[1];
    assert.match(before, /^!/);
    const sandbox = await startSandbox({ osUserPrefix: prefix });
    try {
      const debian = sandbox.manifest.instances.find((instance) => instance.name === 'eu-web-1')!;
      assert.equal(debian.osUser, existing);
      assert.equal(await whoami(sandbox, debian), existing);
    } finally {
      await sandbox.stop();
    }
    assert.ok(entry('/etc/passwd', existing), `${existing} is still there`);
    assert.ok(existsSync(join('/home', existing)), 'with its home');
    assert.equal(entry('/etc/shadow', existing)!.split(':')[1], before, 'and its password field as it was');
    for (const name of FAMILY_USERS.filter((user) => user !== 'admin').map((user) => `${prefix}${user}`)) {
      assert.deepEqual(tracesOf(name), [], `the users it created are gone: ${name}`);
    }
  } finally {
    execFileSync('userdel', ['-r', existing], { stdio: 'ignore' });
  }
});

test('the users of a sandbox killed with SIGKILL are removed by the next sandbox to start', { skip }, async () => {
  const prefix = `t${process.pid}c-`;
  const expected = FAMILY_USERS.map((user) => `${prefix}${user}`);
  const program = `require(${JSON.stringify(join(__dirname, '..', 'index.ts'))}).startSandbox({ osUserPrefix: ${JSON.stringify(prefix)} })
    .then((sandbox) => { console.log(sandbox.runDir); setInterval(() => undefined, 1000); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code}) before it started`)));
    });
    for (const name of expected) assert.ok(entry('/etc/passwd', name), `${name} was created`);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  // Its users stay behind (unless a sandbox of a test file running beside this one has already cleared
  // them): any sandbox that starts, even one without sshd, clears what dead ones held.
  const next = await startSandbox({ ssh: false });
  try {
    for (const name of expected) assert.deepEqual(tracesOf(name), [], `nothing of ${name} is left`);
    assert.equal(registeredHolders().filter((holder) => holder.pid === child.pid).length, 0, 'the dead holder is gone from the registry');
  } finally {
    await next.stop();
  }
});
