// The editor's file system of instances without the editor: URIs, the mapping of kinds and errors to VS Code's,
// and the operations as the FileSystemProvider runs them, over an in-memory instance.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { silentLogger } from '../../src/core/base/log';
import { isRemoteFileError, RemoteFileError, type RemoteFileErrorKind } from '../../src/core/files/fileErrors';
import type { FilesLocation } from '../../src/core/files/location';
import { FileKind } from '../../src/core/files/remoteFiles';
import { FileOperations } from '../../src/editor/files/fileOperations';
import { asFileError } from '../../src/editor/files/fileSystemErrors';
import { childUri, instanceUri, isInstanceUri, isWithin, locationOf, parentUri, remotePath } from '../../src/editor/files/fileUri';
import { parseFileSettings } from '../../src/editor/services/fileSettings';
import type { FileChange } from '../../src/editor/services/services';
import type { UriParts } from '../../src/editor/services/ui';
import { FakeRemoteFiles } from '../fakes/fakeRemoteFiles';

const location: FilesLocation = { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', osUser: 'ec2-user', profile: 'dev team' };
const who = 'i-0123456789abcdef0 in us-east-1';
const uri = (path: string) => instanceUri(location, path);

/** The members of a `export enum Name {…}` or the static factories of `export class Name` in @types/vscode. */
const vscodeTypes = readFileSync(join(__dirname, '..', '..', 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
function enumValues(name: string): Record<string, number> {
  const body = new RegExp(`export enum ${name} \\{([\\s\\S]*?)\\n\\t\\}`).exec(vscodeTypes)?.[1] ?? '';
  return Object.fromEntries([...body.matchAll(/^\t\t(\w+) = (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
}

test('URIs carry profile, region, instance, user and path, and come back the same', () => {
  const home = uri('/home/ec2-user/');
  assert.deepEqual(home, { scheme: 'ec2-instance', authority: 'ec2-user@i-0123456789abcdef0~us-east-1~dev%20team', path: '/home/ec2-user' });
  assert.deepEqual(locationOf(home), location);
  assert.ok(isInstanceUri(home));
  assert.ok(!isInstanceUri({ scheme: 'file', authority: '', path: '/tmp' }));
  assert.equal(remotePath(''), '/');
  assert.equal(remotePath('/var//log/../www/'), '/var/www');
  assert.deepEqual(childUri(home, 'app'), uri('/home/ec2-user/app'));
  assert.deepEqual(parentUri(uri('/etc')), uri('/'));
  assert.ok(isWithin(uri('/home/ec2-user/app/x'), home));
  assert.ok(isWithin(home, home));
  assert.ok(!isWithin(uri('/home/ec2-user2'), home));
  assert.ok(isWithin(uri('/etc'), uri('/')));
  assert.ok(!isWithin(instanceUri({ ...location, osUser: 'root' }, '/home/ec2-user/x'), home), 'another user is another file system');
});

test('an authority that is not an instance\'s is Unavailable, and says how one reads', () => {
  for (const authority of ['', 'i-0123456789abcdef0', 'ec2-user@host~us-east-1', 'ec2-user@i-0123456789abcdef0']) {
    assert.throws(
      () => locationOf({ scheme: 'ec2-instance', authority, path: '/x' }),
      (err: unknown) => isRemoteFileError(err, 'Unavailable') && /does not name an EC2 instance: .* user@i-…~region/.test(err.message),
    );
  }
});

test("FileKind bits are vscode.FileType's, the change kinds are FileChangeType's, and every error kind is a FileSystemError factory", () => {
  assert.deepEqual(enumValues('FileType'), { Unknown: FileKind.Unknown, File: FileKind.File, Directory: FileKind.Directory, SymbolicLink: FileKind.SymbolicLink });
  assert.deepEqual(enumValues('FileChangeType'), { Changed: 1, Created: 2, Deleted: 3 });
  const factories = /export class FileSystemError extends Error \{([\s\S]*?)\n\t\}/.exec(vscodeTypes)?.[1] ?? '';
  const kinds: RemoteFileErrorKind[] = ['FileNotFound', 'FileExists', 'FileNotADirectory', 'FileIsADirectory', 'NoPermissions', 'Unavailable'];
  for (const kind of kinds) assert.match(factories, new RegExp(`static ${kind}\\(messageOrUri\\?: string \\| Uri\\): FileSystemError;`), kind);
});

test('any other failure is Unavailable, naming the path and the instance', () => {
  const own = new RemoteFileError('FileExists', '/a already exists on x.', '/a');
  assert.equal(asFileError(own, '/a', who), own);
  const other = asFileError(new Error('The connection to 203.0.113.10 was lost.'), '/home/ec2-user/a.txt', who);
  assert.equal(other.kind, 'Unavailable');
  assert.equal(other.message, `/home/ec2-user/a.txt on ${who} is unavailable: The connection to 203.0.113.10 was lost.`);
});

function operations(remote = new FakeRemoteFiles(who)) {
  const denied: UriParts[] = [];
  const changes: FileChange[][] = [];
  const ops = new FileOperations({ filesAt: () => remote, pollIntervalSeconds: () => 3, log: silentLogger, onWriteDenied: (u) => denied.push(u) });
  ops.onDidChange((c) => changes.push(c));
  return { ops, remote, denied, changes };
}

const failsWith = (kind: RemoteFileErrorKind, pattern: RegExp) => (err: unknown) => {
  assert.ok(isRemoteFileError(err, kind), `expected ${kind}, got ${String(err)}`);
  assert.match(err.message, pattern);
  return true;
};

test('operations reach the files of the URI\'s location, at the normalized path', async () => {
  const { ops, remote } = operations();
  remote.put('/home/ec2-user/notes.txt', 'hello\n');
  assert.equal((await ops.stat(uri('/home/ec2-user//notes.txt'))).type, FileKind.File);
  assert.deepEqual(await ops.readDirectory(uri('/home/ec2-user/')), [['notes.txt', FileKind.File]]);
  assert.equal(Buffer.from(await ops.readFile(uri('/home/ec2-user/notes.txt'))).toString(), 'hello\n');
  assert.deepEqual(remote.calls.slice(0, 3), ['stat /home/ec2-user/notes.txt', 'readDirectory /home/ec2-user', 'readFile /home/ec2-user/notes.txt']);
});

test('each failure is the FileSystemError VS Code expects, and its message names the path and the instance', async () => {
  const { ops, remote } = operations();
  remote.put('/home/ec2-user/a', 'A');
  await assert.rejects(ops.stat(uri('/nope')), failsWith('FileNotFound', /^\/nope does not exist on i-0123456789abcdef0 in us-east-1\.$/));
  await assert.rejects(ops.createDirectory(uri('/home/ec2-user/a')), failsWith('FileExists', /\/home\/ec2-user\/a already exists on i-0123/));
  await assert.rejects(ops.readFile(uri('/home')), failsWith('FileIsADirectory', /\/home on i-0123.* is a folder/));
  await assert.rejects(ops.writeFile(uri('/home/ec2-user/a'), Buffer.from('x'), { create: false, overwrite: false }), failsWith('FileExists', /already exists/));
  remote.down = true;
  await assert.rejects(ops.readFile(uri('/home/ec2-user/a')), failsWith('Unavailable', /^\/home\/ec2-user\/a on i-0123456789abcdef0 in us-east-1 is unavailable: the connection to the instance was lost\.$/));
});

test('a write refused for permissions is NoPermissions, and the editor is told (it offers Save as Root…)', async () => {
  const { ops, remote, denied, changes } = operations();
  remote.put('/etc/hosts', '127.0.0.1 localhost\n');
  remote.readOnly.add('/etc/hosts');
  await assert.rejects(ops.writeFile(uri('/etc/hosts'), Buffer.from('x'), { create: true, overwrite: true }), failsWith('NoPermissions', /^\/etc\/hosts on i-0123.*: permission denied\.$/));
  assert.deepEqual(denied, [uri('/etc/hosts')]);
  assert.deepEqual(changes, []);
  assert.equal(remote.text('/etc/hosts'), '127.0.0.1 localhost\n');
});

test('what the file system changes itself is reported at once: created, changed, deleted, and a rename as both', async () => {
  const { ops, changes } = operations();
  const dir = uri('/home/ec2-user/work');
  await ops.createDirectory(dir);
  await ops.writeFile(childUri(dir, 'a.txt'), Buffer.from('1'), { create: true, overwrite: true });
  await ops.writeFile(childUri(dir, 'a.txt'), Buffer.from('2'), { create: true, overwrite: true });
  await ops.rename(childUri(dir, 'a.txt'), childUri(dir, 'b.txt'), { overwrite: false });
  await ops.delete(dir, { recursive: true });
  assert.deepEqual(
    changes.flat().map((c) => `${c.type} ${c.uri.path}`),
    [
      'created /home/ec2-user/work',
      'created /home/ec2-user/work/a.txt',
      'changed /home/ec2-user/work/a.txt',
      'deleted /home/ec2-user/work/a.txt',
      'created /home/ec2-user/work/b.txt',
      'deleted /home/ec2-user/work',
    ],
  );
  for (const change of changes.flat()) assert.equal(change.uri.authority, dir.authority);
});

test('a rename to another instance or user is refused (VS Code copies across file systems itself)', async () => {
  const { ops, remote } = operations();
  remote.put('/home/ec2-user/a', 'A');
  await assert.rejects(
    ops.rename(uri('/home/ec2-user/a'), instanceUri({ ...location, osUser: 'root' }, '/root/a'), { overwrite: false }),
    failsWith('Unavailable', /is on another instance or user/),
  );
  assert.equal(remote.text('/home/ec2-user/a'), 'A');
});

test('the files settings as written, checked: what is not understood is the default', () => {
  assert.deepEqual(parseFileSettings({}), { pollIntervalSeconds: 3, openIn: 'workspace' });
  assert.deepEqual(parseFileSettings({ pollIntervalSeconds: 10, openIn: 'newWindow' }), { pollIntervalSeconds: 10, openIn: 'newWindow' });
  assert.deepEqual(parseFileSettings({ pollIntervalSeconds: 0, openIn: 'elsewhere' }), { pollIntervalSeconds: 3, openIn: 'workspace' });
  assert.deepEqual(parseFileSettings({ pollIntervalSeconds: '5' }), { pollIntervalSeconds: 3, openIn: 'workspace' });
});
