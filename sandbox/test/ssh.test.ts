// The sandbox's instances trust exactly the keys pushed for them: that OS user, that instance, within the window.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';

import { type Sandbox, type SandboxInstance, startSandbox } from '../index';
import { eicClient, exec, instanceNamed, newKey, sleep, sshConnect, sshRun } from './helpers';

const run = promisify(execFile);
const refused = /All configured authentication methods failed/;
const root = process.getuid?.() === 0;
let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});

after(async () => {
  await sandbox?.stop();
});

async function push(instance: SandboxInstance, key: string, osUser = instance.osUser): Promise<void> {
  const result = await eicClient(sandbox, instance.region).send(new SendSSHPublicKeyCommand({
    InstanceId: instance.instanceId, InstanceOSUser: osUser, SSHPublicKey: key,
  }));
  assert.equal(result.Success, true);
  assert.match(result.RequestId ?? '', /^[0-9a-f-]{36}$/);
}

function target(instance: SandboxInstance, privateKey: string, username = instance.osUser) {
  return { host: instance.host, port: instance.port, username, privateKey };
}

test('a pushed key logs in as the instance\'s user on each image family', {
  skip: root ? false : 'needs root: without it every instance logs in as the current user, so the families cannot differ',
}, async () => {
  // The user each family's AMI comes with (the manifest must say the same, and the login must land there).
  const families: Record<string, string> = {
    'web-prod-1': 'ec2-user', // Amazon Linux 2023
    'api-staging': 'ubuntu', // Ubuntu 22.04
    'db-internal': 'ec2-user', // RHEL 9
    'legacy-reports': 'centos', // CentOS 7
    'eu-web-1': 'admin', // Debian 12
    'wordpress-blog': 'bitnami', // Bitnami WordPress
    'fedora-dev': 'fedora', // Fedora 39
  };
  await Promise.all(Object.entries(families).map(async ([name, user]) => {
    const instance = instanceNamed(sandbox, name);
    assert.equal(instance.osUser, user, `${name}'s user in the manifest`);
    const key = newKey();
    await push(instance, key.publicKey);
    assert.equal((await sshRun(target(instance, key.privateKey), 'whoami')).trim(), user, `${name} logs in as ${user}`);
  }));
});

test('a key never pushed is refused', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  await assert.rejects(sshRun(target(web, newKey().privateKey), 'whoami'), refused);
});

test('a key pushed for another OS user, or another instance, is refused', {
  skip: root ? false : 'needs root: it needs two OS users on this machine',
}, async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const api = instanceNamed(sandbox, 'api-staging');
  const key = newKey();
  await push(web, key.publicKey, 'ubuntu');
  // ubuntu exists on this machine (api-staging logs in as it), so only the key decides.
  await assert.rejects(sshRun(target(web, key.privateKey, 'ec2-user'), 'whoami'), refused);
  await assert.rejects(sshRun(target(api, key.privateKey, 'ubuntu'), 'whoami'), refused);
  assert.equal((await sshRun(target(web, key.privateKey, 'ubuntu'), 'whoami')).trim(), 'ubuntu');
});

test('an OS user the instance does not have is accepted by the API, and the login fails', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const key = newKey();
  await push(web, key.publicKey, 'nosuchuser');
  await assert.rejects(sshRun(target(web, key.privateKey, 'nosuchuser'), 'whoami'), refused);
});

test('a key is refused once its window has closed; a session opened in time survives', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  sandbox.setKeyWindow(1);
  try {
    const key = newKey();
    await push(web, key.publicKey);
    const early = await sshConnect(target(web, key.privateKey));
    await sleep(1300);
    await assert.rejects(sshRun(target(web, key.privateKey), 'whoami'), refused);
    assert.equal((await exec(early, 'whoami')).trim(), web.osUser);
    early.end();
  } finally {
    sandbox.setKeyWindow(60);
  }
});

test('dropSsh closes open sessions and the instance still accepts new ones', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  const key = newKey();
  await push(api, key.publicKey);
  const client = await sshConnect(target(api, key.privateKey));
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  client.on('error', () => undefined);
  await sandbox.injectFault({ dropSsh: api.instanceId });
  await closed;
  await push(api, key.publicKey);
  assert.equal((await sshRun(target(api, key.privateKey), 'whoami')).trim(), api.osUser);
});

test('real OpenSSH logs in with a pushed key (what the Remote-SSH handoff runs)', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const key = newKey();
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-ssh-'));
  try {
    const keyFile = join(dir, 'id_ed25519');
    writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
    await push(web, key.publicKey);
    const { stdout } = await run('ssh', [
      '-i', keyFile, '-p', String(web.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR', `${web.osUser}@${web.host}`, 'whoami',
    ]);
    assert.equal(stdout.trim(), web.osUser);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
