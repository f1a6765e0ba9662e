// The commands of an instance's files through the Ui seam: Open Folder on Instance…, Download…, Upload…, Find in
// Folder on Instance…, Save as Root…, Open Terminal Here. The pool is the real one over a connector with no
// network; the files are in memory.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';

import type { ConnectionPool } from '../../src/core/connect/connectionPool';
import * as core from '../../src/core/core';
import { isProductError } from '../../src/core/errors/productError';
import type { FilesLocation } from '../../src/core/files/location';
import type { ChannelOptions } from '../../src/core/ssh/session';
import { download } from '../../src/editor/commands/download';
import { findInFolder } from '../../src/editor/commands/findInFolder';
import { openFolderOnInstance } from '../../src/editor/commands/openFolderOnInstance';
import { openTerminalHere } from '../../src/editor/commands/openTerminalHere';
import { saveAsRoot } from '../../src/editor/commands/saveAsRoot';
import { upload } from '../../src/editor/commands/upload';
import { instanceUri } from '../../src/editor/files/fileUri';
import { offerSaveAsRoot } from '../../src/editor/files/saveAsRoot';
import type { FileSettings } from '../../src/editor/services/fileSettings';
import type { FileChange, Services } from '../../src/editor/services/services';
import { FakeAws } from '../fakes/fakeAws';
import { FakeConnector } from '../fakes/fakeConnector';
import { FakeInstanceFiles, FakeRemoteFiles } from '../fakes/fakeRemoteFiles';
import { fakeServices } from '../fakes/fakeServices';
import { instance, sdkInstance } from '../fakes/sdkInstances';
import { waitFor } from '../fakes/waitFor';

const id = 'i-0123456789abcdef0';
const location: FilesLocation = { instanceId: id, region: 'us-east-1', osUser: 'ec2-user' };
const uri = (path: string) => instanceUri(location, path);
const row = (overrides: Parameters<typeof instance>[0] = {}) => ({ kind: 'instance' as const, instance: instance(overrides) });

let local: string;
beforeEach(async () => {
  local = await mkdtemp(join(tmpdir(), 'ec2ic-files-commands-'));
});
afterEach(async () => {
  await rm(local, { recursive: true, force: true });
});

interface Remote {
  sudo: boolean;
  rootWrites: { path: string; text: string }[];
  commands: string[];
  /** What the find command prints. */
  findOutput: string;
}

/** Services over the fakes: the remote files of `location` preloaded, sudo and exec answered by `remote`. */
function editor(fileSettings: Partial<FileSettings> = {}) {
  const remote: Remote = { sudo: true, rootWrites: [], commands: [], findOutput: '' };
  const aws = new FakeAws();
  aws.instances.set(id, sdkInstance());
  const files = new FakeRemoteFiles();
  const fakeCore = {
    ...core,
    Connector: FakeConnector as unknown as typeof core.Connector,
    InstanceFiles: class extends FakeInstanceFiles {
      constructor(deps: unknown) {
        super(deps);
        this.make = (at) => (at.osUser === 'ec2-user' ? files : new FakeRemoteFiles(`${at.instanceId} in ${at.region}`, `/home/${at.osUser}`));
      }
    } as unknown as typeof core.InstanceFiles,
    canSudo: async () => remote.sudo,
    writeAsRoot: async (_pool: ConnectionPool, _request: unknown, path: string, content: Uint8Array) => void remote.rootWrites.push({ path, text: Buffer.from(content).toString() }),
    runOnInstance: async (_pool: ConnectionPool, _request: unknown, command: string) => {
      remote.commands.push(command);
      return { code: 0, stdout: Buffer.from(remote.findOutput), stderr: '' };
    },
  };
  const { services, ui } = fakeServices({ core: fakeCore, aws: aws.clients() });
  const settings = { pollIntervalSeconds: 3, openIn: 'workspace' as const, ...fileSettings };
  const changes: FileChange[] = [];
  const withFiles: Services = { ...services, fileSettings: () => settings, fileSystem: { didChange: (c) => changes.push(...c) } };
  return { services: withFiles, ui, files, remote, aws, changes, connector: () => services.connector() as unknown as FakeConnector };
}

test('Open Folder on Instance… on a row: connects, browses from the home folder, and adds the chosen folder to the workspace', async () => {
  const { services, ui, files, connector } = editor();
  files.mkdirs('/home/ec2-user/app/src');
  files.mkdirs('/home/ec2-user/.cache');
  files.put('/home/ec2-user/notes.txt', 'n');
  ui.livePickAnswers.push({ choose: (label) => label === '$(folder) app' }, { choose: (label) => label === '$(check) Use This Folder' });
  const opened = await openFolderOnInstance.run(services, row());

  assert.deepEqual(ui.progress.map((p) => p.title), [`Connecting to web-1 (${id})…`, `Opening the files of web-1 (${id})…`]);
  assert.deepEqual(
    ui.livePicks.map((pick) => pick.items.map((item) => `${item.label}${item.description ? ` | ${item.description}` : ''}`)),
    [
      ['$(check) Use This Folder | /home/ec2-user', '$(arrow-up) .. | /home', '$(folder) app', '$(folder) .cache'],
      ['$(check) Use This Folder | /home/ec2-user/app', '$(arrow-up) .. | /home/ec2-user', '$(folder) src'],
    ],
  );
  const folder = { scheme: 'ec2-instance', authority: `ec2-user@${id}~us-east-1`, path: '/home/ec2-user/app' };
  assert.deepEqual(opened, folder);
  assert.deepEqual(ui.folders, [{ uri: folder, name: 'app (web-1)' }]);
  assert.deepEqual(ui.executed.map((e) => e.command), ['workbench.view.explorer']);
  assert.equal(connector().connections.length, 1);

  // Again, the same folder: not added twice.
  ui.livePickAnswers.push({ choose: (label) => label === '$(folder) app' }, { choose: (label) => label === '$(check) Use This Folder' });
  await openFolderOnInstance.run(services, row());
  assert.equal(ui.folders.length, 1);
});

test('a typed path is used once the instance says it is a folder; a file is said in the pick, which shows again', async () => {
  const { services, ui, files } = editor({ openIn: 'newWindow' });
  files.mkdirs('/var/www');
  files.put('/etc/hosts', '127.0.0.1 localhost\n');
  ui.livePickAnswers.push({ type: '/etc/hosts' }, { type: '~/missing' }, undefined);
  assert.equal(await openFolderOnInstance.run(services, row()), undefined, 'dismissed at the end');
  assert.equal(ui.livePicks[0].typed?.label, '$(go-to-file) /etc/hosts');
  assert.equal(ui.livePicks[1].items[0].label, '$(error) /etc/hosts is a file, not a folder.');
  assert.equal(ui.livePicks[1].typed?.label, '$(go-to-file) /home/ec2-user/missing');
  assert.equal(ui.livePicks[2].items[0].label, `$(error) /home/ec2-user/missing does not exist on ${id} in us-east-1.`);
  assert.equal(ui.livePicks[2].items[0].acceptable, false, 'the error only informs');

  ui.livePickAnswers.push({ type: '/var/www/' });
  await openFolderOnInstance.run(services, row());
  assert.deepEqual(ui.foldersOpened, [{ folder: { scheme: 'ec2-instance', authority: `ec2-user@${id}~us-east-1`, path: '/var/www' }, newWindow: true }]);
  assert.deepEqual(ui.folders, [], 'files.openIn = newWindow: nothing added to this window');
});

test('the OS user is the one Connect would use (remembered here), and the URI says so', async () => {
  const { services, ui } = editor();
  await services.connector().osUsers.remember(id, 'admin');
  ui.livePickAnswers.push({ choose: (label) => label === '$(check) Use This Folder' });
  const opened = await openFolderOnInstance.run(services, row());
  assert.deepEqual(opened, { scheme: 'ec2-instance', authority: `admin@${id}~us-east-1`, path: '/home/admin' });
  assert.equal(ui.folders[0].name, 'admin (web-1)');
});

test('a stopped instance: a notification with Start Instance, and nothing is asked', async () => {
  const { services, ui } = editor();
  await openFolderOnInstance.run(services, row({ State: { Name: 'stopped', Code: 80 } }));
  assert.equal(ui.livePicks.length, 0);
  assert.equal(ui.messages.length, 1);
  assert.match(ui.messages[0].message, /is stopped/);
  assert.ok(ui.messages[0].actions.includes('Start Instance'));
});

test('the home folder out of reach: the notification names it and the instance, with Retry', async () => {
  const { services, ui, files } = editor();
  files.down = true;
  ui.messageAnswers.push(undefined);
  await openFolderOnInstance.run(services, row());
  assert.deepEqual(ui.messages.map((m) => [m.message, m.actions]), [[`~ on ${id} in us-east-1 is unavailable: the connection to the instance was lost.`, ['Retry', 'Show Log']]]);
});

test('Download… of a file: a save dialog, then the file on this computer', async () => {
  const { services, ui, files } = editor();
  files.put('/home/ec2-user/report.csv', 'a,b\n1,2\n');
  ui.localAnswers.push(join(local, 'report.csv'));
  await download.run(services, uri('/home/ec2-user/report.csv'), [uri('/home/ec2-user/report.csv')]);
  assert.deepEqual(ui.localAsked, [{ title: `Download /home/ec2-user/report.csv from ${id}`, defaultName: 'report.csv' }]);
  assert.equal(await readFile(join(local, 'report.csv'), 'utf8'), 'a,b\n1,2\n');
  assert.deepEqual(ui.messages.map((m) => m.message), [`Downloaded 1 file from ${id} to ${join(local, 'report.csv')}.`]);
});

test('Download… of a folder: everything in it, into the folder chosen; one already there is left alone', async () => {
  const { services, ui, files } = editor();
  files.put('/srv/app/index.js', 'main');
  files.put('/srv/app/lib/util.js', 'util');
  files.mkdirs('/srv/app/empty');
  ui.localAnswers.push(local);
  await download.run(services, uri('/srv/app'));
  assert.equal(await readFile(join(local, 'app', 'index.js'), 'utf8'), 'main');
  assert.equal(await readFile(join(local, 'app', 'lib', 'util.js'), 'utf8'), 'util');
  assert.deepEqual(ui.messages.map((m) => m.message), [`Downloaded 2 files from ${id} to ${join(local, 'app')}.`]);
  assert.deepEqual(ui.progress[0].reports, ['index.js (1)', 'util.js (2)']);

  ui.localAnswers.push(local);
  await download.run(services, uri('/srv/app'));
  assert.match(ui.messages[1].message, /^Nothing was downloaded: .*\/app already exists on this computer\./);
});

test('Upload…: the files chosen, into the folder; replacing one that is there is asked first, by name', async () => {
  const { services, ui, files, changes } = editor();
  files.put('/home/ec2-user/site/a.html', 'old');
  await writeFile(join(local, 'a.html'), 'new a');
  await writeFile(join(local, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  ui.localAnswers.push([join(local, 'a.html'), join(local, 'run.sh')]);
  ui.messageAnswers.push('Replace');
  await upload.run(services, uri('/home/ec2-user/site'));
  assert.deepEqual(ui.messages.map((m) => [m.message, m.modal]), [[`Replace a.html in /home/ec2-user/site on ${id}?`, true]]);
  assert.equal(files.text('/home/ec2-user/site/a.html'), 'new a');
  assert.equal(files.text('/home/ec2-user/site/run.sh'), '#!/bin/sh\n');
  const node = files.nodes.get('/home/ec2-user/site/run.sh');
  assert.equal(node?.kind === 'file' && node.mode, 0o755, 'an executable stays one');
  assert.deepEqual(changes.map((c) => `${c.type} ${c.uri.path}`), ['changed /home/ec2-user/site/a.html', 'created /home/ec2-user/site/run.sh']);

  // Declined: nothing changes.
  await writeFile(join(local, 'a.html'), 'newer');
  ui.localAnswers.push([join(local, 'a.html')]);
  ui.messageAnswers.push(undefined);
  await upload.run(services, uri('/home/ec2-user/site'));
  assert.equal(files.text('/home/ec2-user/site/a.html'), 'new a');
});

test('Find in Folder on Instance…: the command runs on the instance; matches are plain text and open at their line', async () => {
  const { services, ui, remote } = editor();
  ui.folders.push({ uri: uri('/home/ec2-user/app'), name: 'app (web-1)' });
  remote.findOutput = '/home/ec2-user/app/src/main.c\u000012:  int needle = 1;\n/home/ec2-user/app/$(alert) odd\u001b[2J.txt\u00003:needle\u001b]0;pwned\u0007 here\r\n';
  ui.inputAnswers.push('needle');
  ui.pickAnswers.push((labels) => labels[0]);
  await findInFolder.run(services);
  assert.deepEqual(remote.commands, [core.findCommand('/home/ec2-user/app', 'needle')]);
  assert.equal(ui.picks[0].title, `2 matches for "needle" in /home/ec2-user/app on ${id}`);
  assert.deepEqual(ui.picks[0].labels, ['src/main.c:12', '$\u200b(alert) odd.txt:3']);
  assert.deepEqual(ui.documentsOpened, [{ uri: uri('/home/ec2-user/app/src/main.c'), line: 12 }]);
});

test('Find in Folder on Instance… with no match says so; without a folder of an instance open, says how to open one', async () => {
  const { services, ui } = editor();
  ui.inputAnswers.push('absent');
  await findInFolder.run(services, uri('/srv'));
  assert.deepEqual(ui.messages.map((m) => m.message), [`No line in /srv on ${id} contains "absent".`]);
  await assert.rejects(async () => findInFolder.run(services), (err: unknown) => isProductError(err, 'cancelled'));
  assert.equal(ui.messages[1].message, 'No folder of an instance is open: Open Folder on Instance… opens one.');
});

test('Save as Root…: the editor\'s text through sudo tee, then the editor reverted, clean', async () => {
  const { services, ui, remote, changes } = editor();
  const hosts = uri('/etc/hosts');
  ui.documents.set('/etc/hosts', '127.0.0.1 localhost web\n');
  ui.active = hosts;
  await saveAsRoot.run(services);
  assert.deepEqual(remote.rootWrites, [{ path: '/etc/hosts', text: '127.0.0.1 localhost web\n' }]);
  assert.deepEqual(ui.reverted, [hosts]);
  assert.deepEqual(changes, [{ type: 'changed', uri: hosts }]);

  remote.sudo = false;
  await saveAsRoot.run(services, hosts);
  assert.equal(remote.rootWrites.length, 1);
  assert.match(ui.messages[0].message, /^\/etc\/hosts was not saved: ec2-user cannot run sudo on i-0123456789abcdef0 without a password/);
});

test('a refused save offers Save as Root… only when sudo works without a password', async () => {
  const { services, ui, remote } = editor();
  const hosts = uri('/etc/hosts');
  ui.messageAnswers.push('Save as Root…');
  await offerSaveAsRoot(services, hosts);
  assert.deepEqual(ui.messages.map((m) => [m.message, m.actions]), [[`ec2-user may not write /etc/hosts on ${id}. Save it as root instead (with sudo)?`, ['Save as Root…']]]);
  assert.deepEqual(ui.executed, [{ command: 'ec2InstanceConnect.saveAsRoot', args: [hosts] }]);

  remote.sudo = false;
  await offerSaveAsRoot(services, hosts);
  assert.equal(ui.messages.length, 1, 'no sudo: VS Code\'s own error is all there is');
});

test('Open Terminal Here: a shell started in the folder, on the shared connection, named after the folder', async () => {
  const { services, ui, connector } = editor();
  await openTerminalHere.run(services, uri('/var/log'));
  await waitFor(() => connector().connections[0]?.channels.length === 1, 'the shell');
  const [terminal] = ui.terminals;
  assert.equal(terminal.name, `${id}: log`);
  assert.match(terminal.text, /^Connecting to ec2-user@203\.0\.113\.10 \(i-0123456789abcdef0\), in \/var\/log…\r\n/);
  const channel = connector().connections[0].channels[0] as unknown as { options: ChannelOptions & { startIn?: string } };
  assert.equal(channel.options.startIn, '/var/log');
  terminal.logic.close();
});

test('Open Terminal Here from the palette with several folders of instances: asks which', async () => {
  const { services, ui, connector } = editor();
  await mkdir(join(local, 'unused'));
  ui.folders.push({ uri: { scheme: 'file', authority: '', path: local }, name: 'local' });
  ui.folders.push({ uri: uri('/home/ec2-user'), name: 'ec2-user (web-1)' });
  ui.folders.push({ uri: uri('/srv'), name: 'srv (web-1)' });
  ui.pickAnswers.push((labels) => labels.find((l) => l.startsWith('srv')));
  await openTerminalHere.run(services);
  assert.deepEqual(ui.picks[0].labels, ['ec2-user (web-1)', 'srv (web-1)']);
  await waitFor(() => connector().connections[0]?.channels.length === 1, 'the shell');
  ui.terminals[0].logic.close();
});

test("a folder's name from the instance reaches the terminal's tab and the explorer as plain text", async () => {
  const { services, ui, files, connector } = editor();
  const odd = '/home/ec2-user/evil\u001b]0;pwned\u0007-dir\u202e';
  files.mkdirs(odd);
  await openTerminalHere.run(services, uri(odd));
  await waitFor(() => connector().connections[0]?.channels.length === 1, 'the shell');
  assert.equal(ui.terminals[0].name, `${id}: evil-dir`);
  ui.terminals[0].logic.close();

  ui.livePickAnswers.push({ type: odd });
  await openFolderOnInstance.run(services, row());
  assert.equal(ui.folders[0].name, 'evil-dir (web-1)');
});
