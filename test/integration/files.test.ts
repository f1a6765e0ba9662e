// An instance's files over SFTP against the sandbox: real pushes, real sshd and its sftp-server, real ssh2
// SFTP on the instance's shared connection. No editor: the core the FileSystemProvider stands on.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';

import { type Sandbox, type SandboxInstance, startSandbox } from '../../sandbox';
import { instanceNamed } from '../../sandbox/test/helpers';
import { AwsClients } from '../../src/core/aws/clients';
import { silentLogger } from '../../src/core/base/log';
import { defaultSettings } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import { ConnectionPool } from '../../src/core/connect/connectionPool';
import { Connector } from '../../src/core/connect/connector';
import { isRemoteFileError, type RemoteFileErrorKind } from '../../src/core/files/fileErrors';
import { findCommand, parseFindOutput, runOnInstance } from '../../src/core/files/instanceCommands';
import { connectRequest, InstanceFiles } from '../../src/core/files/instanceFiles';
import type { FilesLocation } from '../../src/core/files/location';
import { FileKind, type RemoteFiles } from '../../src/core/files/remoteFiles';

let sandbox: Sandbox;
const saved = { ...process.env };
let pool: ConnectionPool;
let files: InstanceFiles;
let web: SandboxInstance;
let location: FilesLocation;
let remote: RemoteFiles;
/** A folder of this test's own in the instance user's home (other tests share that user). */
let dir: string;

before(async () => {
  sandbox = await startSandbox();
  process.env = { ...saved, ...sandbox.env, AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
  delete process.env.AWS_PROFILE;
  web = instanceNamed(sandbox, 'web-prod-1');
});

after(async () => {
  process.env = saved;
  await sandbox?.stop();
});

beforeEach(async () => {
  await sandbox.clearFaults();
  const clients = new AwsClients({ endpoint: sandbox.manifest.endpoint, maxAttempts: 1 });
  const connector = new Connector({
    aws: () => clients,
    store: new MemoryStore(),
    settings: () => ({ ...defaultSettings, connectTimeoutSeconds: 10, port: web.port }),
    log: silentLogger,
  });
  pool = new ConnectionPool({ connector, lingerSeconds: 0, log: silentLogger });
  files = new InstanceFiles({ pool, log: silentLogger });
  location = { instanceId: web.instanceId, region: web.region, osUser: web.osUser };
  remote = files.at(location);
  dir = posix.join(await remote.home(), `files-test-${randomBytes(4).toString('hex')}`);
  await remote.createDirectory(dir);
});

afterEach(async () => {
  await remote.delete(dir, { recursive: true }).catch(() => undefined);
  files.dispose();
  pool.dispose();
});

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');
const fails = (kind: RemoteFileErrorKind, path?: string) => (err: unknown) => {
  assert.ok(isRemoteFileError(err, kind), `expected ${kind}, got ${String(err)}`);
  if (path) assert.ok(err.message.includes(path) && err.message.includes(web.instanceId), err.message);
  return true;
};

test('home, stat, readDirectory, readFile: the user\'s folder as the instance has it', async () => {
  const home = await remote.home();
  assert.equal(home, `/home/${web.osUser}`);
  await remote.writeFile(`${dir}/a.txt`, Buffer.from('alpha\n'), { create: true, overwrite: false });
  await remote.createDirectory(`${dir}/sub`);
  await runOnInstance(pool, connectRequest(location), `ln -s a.txt ${dir}/link && ln -s sub ${dir}/sublink`);

  const entries = new Map(await remote.readDirectory(dir));
  assert.deepEqual(Object.fromEntries(entries), {
    'a.txt': FileKind.File,
    sub: FileKind.Directory,
    link: FileKind.SymbolicLink | FileKind.File,
    sublink: FileKind.SymbolicLink | FileKind.Directory,
  });
  const stat = await remote.stat(`${dir}/a.txt`);
  assert.equal(stat.type, FileKind.File);
  assert.equal(stat.size, 6);
  assert.ok(Math.abs(stat.mtime - Date.now()) < 60_000, 'mtime in milliseconds');
  assert.equal((await remote.stat(`${dir}/sublink`)).type, FileKind.SymbolicLink | FileKind.Directory);
  assert.equal(text(await remote.readFile(`${dir}/link`)), 'alpha\n');
  await assert.rejects(remote.readFile(`${dir}/sub`), fails('FileIsADirectory'));
  await assert.rejects(remote.stat(`${dir}/missing`), fails('FileNotFound', `${dir}/missing`));
});

test('writeFile follows VS Code\'s create and overwrite flags', async () => {
  const path = `${dir}/new.txt`;
  await assert.rejects(remote.writeFile(path, Buffer.from('x'), { create: false, overwrite: true }), fails('FileNotFound', path));
  await remote.writeFile(path, Buffer.from('first'), { create: true, overwrite: false });
  await assert.rejects(remote.writeFile(path, Buffer.from('second'), { create: true, overwrite: false }), fails('FileExists', path));
  assert.equal(text(await remote.readFile(path)), 'first');
  await remote.writeFile(path, Buffer.from('second, longer than the first'), { create: false, overwrite: true });
  assert.equal(text(await remote.readFile(path)), 'second, longer than the first');
  await remote.writeFile(path, Buffer.from('3rd'), { create: false, overwrite: true });
  assert.equal(text(await remote.readFile(path)), '3rd', 'a shorter text leaves nothing of the longer one');
  await assert.rejects(remote.writeFile(`${dir}/no/such/folder.txt`, Buffer.from('x'), { create: true, overwrite: true }), fails('FileNotFound', `${dir}/no/such`));
  await assert.rejects(remote.writeFile(`${dir}`, Buffer.from('x'), { create: true, overwrite: true }), fails('FileIsADirectory'));
});

test('a save replaces the file atomically and keeps its mode; no temporary file is left', async () => {
  const path = `${dir}/script.sh`;
  await remote.writeFile(path, Buffer.from('#!/bin/sh\necho one\n'), { create: true, overwrite: false });
  await runOnInstance(pool, connectRequest(location), `chmod 0750 ${path}`);
  const inodeBefore = (await runOnInstance(pool, connectRequest(location), `stat -c %i ${path}`)).stdout.toString().trim();
  await remote.writeFile(path, Buffer.from('#!/bin/sh\necho two\n'), { create: false, overwrite: true });
  const after = await runOnInstance(pool, connectRequest(location), `stat -c '%a %U %i' ${path}; ls -A ${dir}; ${path}`);
  const [modeOwnerInode, listing, output] = after.stdout.toString().split('\n');
  const [mode, owner, inode] = modeOwnerInode.split(' ');
  assert.equal(mode, '750');
  assert.equal(owner, web.osUser);
  assert.notEqual(inode, inodeBefore, 'a new file renamed over the old one');
  assert.equal(listing, 'script.sh');
  assert.equal(output, 'two');
});

test('rename: refuses an existing target unless overwrite; delete: a folder needs recursive; createDirectory: exists, missing parent', async () => {
  await remote.writeFile(`${dir}/a`, Buffer.from('A'), { create: true, overwrite: false });
  await remote.writeFile(`${dir}/b`, Buffer.from('B'), { create: true, overwrite: false });
  await assert.rejects(remote.rename(`${dir}/a`, `${dir}/b`, { overwrite: false }), fails('FileExists', `${dir}/b`));
  await remote.rename(`${dir}/a`, `${dir}/b`, { overwrite: true });
  assert.equal(text(await remote.readFile(`${dir}/b`)), 'A');
  await remote.rename(`${dir}/b`, `${dir}/c`, { overwrite: false });
  assert.deepEqual(await remote.readDirectory(dir), [['c', FileKind.File]]);
  await assert.rejects(remote.rename(`${dir}/gone`, `${dir}/d`, { overwrite: false }), fails('FileNotFound', `${dir}/gone`));

  await remote.createDirectory(`${dir}/tree`);
  await assert.rejects(remote.createDirectory(`${dir}/tree`), fails('FileExists', `${dir}/tree`));
  await assert.rejects(remote.createDirectory(`${dir}/none/child`), fails('FileNotFound', `${dir}/none`));
  await remote.createDirectory(`${dir}/tree/deeper`);
  await remote.writeFile(`${dir}/tree/deeper/f`, Buffer.from('f'), { create: true, overwrite: false });
  await assert.rejects(remote.delete(`${dir}/tree`, { recursive: false }), fails('NoPermissions', `${dir}/tree`));
  await remote.delete(`${dir}/tree`, { recursive: true });
  await remote.delete(`${dir}/c`, { recursive: false });
  assert.deepEqual(await remote.readDirectory(dir), []);
});

test('a 50 MB file round trip keeps every byte; download and upload stream it', async () => {
  const data = randomBytes(50 * 1024 * 1024);
  const sum = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  await remote.writeFile(`${dir}/big.bin`, data, { create: true, overwrite: false });
  const remoteSum = (await runOnInstance(pool, connectRequest(location), `sha256sum ${dir}/big.bin`)).stdout.toString().split(' ')[0];
  assert.equal(remoteSum, sum(data));
  const back = await remote.readFile(`${dir}/big.bin`);
  assert.equal(back.length, data.length);
  assert.equal(sum(back), sum(data));

  const local = mkdtempSync(join(tmpdir(), 'files-test-'));
  try {
    await remote.download(`${dir}/big.bin`, join(local, 'down.bin'));
    assert.equal(statSync(join(local, 'down.bin')).size, data.length);
    assert.equal(sum(readFileSync(join(local, 'down.bin'))), sum(data));
    writeFileSync(join(local, 'up.txt'), 'uploaded\n');
    await remote.upload(join(local, 'up.txt'), `${dir}/up.txt`);
    assert.equal(text(await remote.readFile(`${dir}/up.txt`)), 'uploaded\n');
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
});

test('permission denied: reading root\'s files and writing where the user may not is NoPermissions, naming the path', async () => {
  await assert.rejects(remote.readFile('/etc/shadow'), fails('NoPermissions', '/etc/shadow'));
  await assert.rejects(remote.writeFile('/etc/hostname', Buffer.from('x'), { create: true, overwrite: true }), fails('NoPermissions', '/etc/hostname'));
  await assert.rejects(remote.writeFile('/etc/ec2ic-denied', Buffer.from('x'), { create: true, overwrite: false }), fails('NoPermissions', '/etc/ec2ic-denied'));
  await assert.rejects(remote.createDirectory('/etc/ec2ic-denied'), fails('NoPermissions', '/etc/ec2ic-denied'));
});

test('a drop in the middle of a read fails it with Unavailable (no hang); the next operation reconnects', async () => {
  await remote.writeFile(`${dir}/big.bin`, randomBytes(50 * 1024 * 1024), { create: true, overwrite: false });
  const reading = remote.readFile(`${dir}/big.bin`);
  await new Promise((resolve) => setTimeout(resolve, 30));
  await sandbox.injectFault({ dropSsh: web.instanceId });
  await assert.rejects(reading, fails('Unavailable', `${dir}/big.bin`));
  await remote.writeFile(`${dir}/after.txt`, Buffer.from('back'), { create: true, overwrite: false });
  assert.equal(text(await remote.readFile(`${dir}/after.txt`)), 'back');
});

test('Find in Folder runs on the instance and parses any file name', async () => {
  await remote.createDirectory(`${dir}/odd: name`);
  await remote.writeFile(`${dir}/odd: name/notes.txt`, Buffer.from('one\nNeedle two\nthree needle\n'), { create: true, overwrite: false });
  await remote.writeFile(`${dir}/other.txt`, Buffer.from('no match\n'), { create: true, overwrite: false });
  const result = await runOnInstance(pool, connectRequest(location), findCommand(dir, 'needle'));
  assert.deepEqual(
    parseFindOutput(result.stdout.toString()).sort((a, b) => a.line - b.line),
    [
      { path: `${dir}/odd: name/notes.txt`, line: 2, text: 'Needle two' },
      { path: `${dir}/odd: name/notes.txt`, line: 3, text: 'three needle' },
    ],
  );
  const exact = await runOnInstance(pool, connectRequest(location), findCommand(dir, 'Needle'));
  assert.deepEqual(parseFindOutput(exact.stdout.toString()).map((f) => f.line), [2], 'upper case: case-sensitive');
});
