import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, test } from 'node:test';

import { defaultSettings, type Settings } from '../../src/core/base/settings';
import * as core from '../../src/core/core';
import { remoteSshAuthority } from '../../src/core/remote/remoteUri';
import { includeMarker } from '../../src/core/remote/sshConfigFile';
import { openInRemoteSSH, sshConfigFile, suggestedRemoteSsh } from '../../src/editor/commands/openInRemoteSSH';
import { FakeAws } from '../fakes/fakeAws';
import { fakeServices } from '../fakes/fakeServices';
import { instance, sdkInstance } from '../fakes/sdkInstances';

const id = 'i-0123456789abcdef0';
const alias = `ec2-web-1-${id}`;
let aws: FakeAws;
let dir: string;

beforeEach(async () => {
  aws = new FakeAws();
  aws.images.set('ami-0abcdef1234567890', { ImageId: 'ami-0abcdef1234567890', Name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241002' });
  aws.instances.set(id, sdkInstance({ PublicIpAddress: '203.0.113.10' }));
  dir = await fs.mkdtemp(join(tmpdir(), 'ec2ic-open-remote-'));
  // Stands in for the built dist/ the handoff copies the CLI from.
  await fs.mkdir(join(dir, 'dist'));
  await fs.writeFile(join(dir, 'dist', 'cli.js'), '// cli');
  await fs.writeFile(join(dir, 'dist', 'core.js'), '// core');
  await fs.writeFile(join(dir, 'dist', 'proxy.js'), '// proxy');
});

const row = () => ({ kind: 'instance' as const, instance: instance({ PublicIpAddress: '203.0.113.10' }) });

function editor(settings: Partial<Settings> = {}, extensions = ['ms-vscode-remote.remote-ssh']) {
  const configFile = join(dir, 'home', '.ssh', 'config');
  const { services, ui } = fakeServices({
    core: { ...core, cliBundleDir: join(dir, 'dist') },
    aws: aws.clients(),
    settings: { ...defaultSettings, remoteSSH: { openInNewWindow: true, configFile }, ...settings },
  });
  ui.extensions = extensions;
  return { services: { ...services, globalStorageDir: join(dir, 'globalStorage') }, ui, configFile, hostFile: join(dir, 'globalStorage', 'remote-ssh', 'config') };
}

test('asks once with the exact line, writes the host entry, opens a new window on the hex-encoded host', async () => {
  const { services, ui, configFile, hostFile } = editor();
  await fs.mkdir(join(dir, 'home', '.ssh'), { recursive: true });
  await fs.writeFile(configFile, 'Host old\n  User me\n');
  ui.messageAnswers = ['Add Line'];
  await openInRemoteSSH.run(services, row());

  const line = `Include "${hostFile}"`;
  assert.equal(ui.messages.length, 1);
  assert.equal(ui.messages[0].modal, true);
  assert.deepEqual(ui.messages[0].actions, ['Add Line']);
  assert.equal(ui.messages[0].message, `Add one line to ${configFile}?`);
  assert.equal(await fs.readFile(configFile, 'utf8'), `${includeMarker}\n${line}\n\nHost old\n  User me\n`);
  const hosts = await fs.readFile(hostFile, 'utf8');
  assert.match(hosts, new RegExp(`^Host ${alias}\n  HostName ${id}\n  User ubuntu\n  Port 22\n`, 'm'));
  assert.match(hosts, /ProxyCommand .* proxy i-0123456789abcdef0 --user ubuntu --port 22 --region us-east-1 --public-key /);
  assert.deepEqual(ui.foldersOpened, [
    { folder: { scheme: 'vscode-remote', authority: remoteSshAuthority(alias), path: '/home/ubuntu' }, newWindow: true },
  ]);
  assert.deepEqual(aws.pushes, [], 'the key is pushed by the proxy, on each connection, not here');

  // Again: no question, the same single line.
  await openInRemoteSSH.run(services, row());
  assert.equal(ui.messages.length, 1);
  assert.equal((await fs.readFile(configFile, 'utf8')).split(line).length, 2);
  assert.equal(ui.foldersOpened.length, 2);
});

test('declined: a warning that says nothing changed, and nothing is written anywhere', async () => {
  const { services, ui, configFile } = editor();
  ui.messageAnswers = [undefined];
  await openInRemoteSSH.run(services, row());
  assert.equal(ui.messages.length, 2);
  assert.equal(ui.messages[1].severity, 'warning');
  assert.match(ui.messages[1].message, new RegExp(`was not opened, and ${configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was not changed`));
  assert.match(ui.messages[1].message, /Include "/);
  await assert.rejects(fs.stat(configFile), { code: 'ENOENT' });
  await assert.rejects(fs.stat(join(dir, 'globalStorage')), { code: 'ENOENT' });
  assert.deepEqual(ui.foldersOpened, []);
});

test('the same window when the setting says so', async () => {
  const { services, ui } = editor({ remoteSSH: { openInNewWindow: false, configFile: join(dir, 'cfg') } });
  ui.messageAnswers = ['Add Line'];
  await openInRemoteSSH.run(services, row());
  assert.equal(ui.foldersOpened[0].newWindow, false);
});

test('without a Remote-SSH extension: offers it, opens it in the extensions view, and touches nothing', async () => {
  const { services, ui, configFile } = editor({}, []);
  ui.messageAnswers = ['Show Extension'];
  await openInRemoteSSH.run(services, row());
  assert.match(ui.messages[0].message, /needs the Remote - SSH extension \(ms-vscode-remote\.remote-ssh\), which is not installed/);
  assert.deepEqual(ui.executed, [{ command: 'extension.open', args: ['ms-vscode-remote.remote-ssh'] }]);
  await assert.rejects(fs.stat(configFile), { code: 'ENOENT' });
  assert.deepEqual(aws.calls, []);
});

test('open-remote-ssh is enough, and is what editors other than VS Code are offered', async () => {
  assert.equal(suggestedRemoteSsh('Visual Studio Code'), 'ms-vscode-remote.remote-ssh');
  assert.equal(suggestedRemoteSsh('Visual Studio Code - Insiders'), 'ms-vscode-remote.remote-ssh');
  assert.equal(suggestedRemoteSsh('VSCodium'), 'jeanp413.open-remote-ssh');
  assert.equal(suggestedRemoteSsh('code-server'), 'jeanp413.open-remote-ssh');
  const { services, ui } = editor({}, ['jeanp413.open-remote-ssh']);
  ui.messageAnswers = ['Add Line'];
  await openInRemoteSSH.run(services, row());
  assert.equal(ui.foldersOpened.length, 1);
});

test('a stopped instance: the notification offers Start Instance, and nothing is asked or written', async () => {
  aws.instances.set(id, sdkInstance({ State: { Name: 'stopped', Code: 80 } }));
  const { services, ui, configFile } = editor();
  await openInRemoteSSH.run(services, row());
  assert.equal(ui.messages.length, 1);
  assert.match(ui.messages[0].message, /is stopped/);
  assert.ok(ui.messages[0].actions.includes('Start Instance'));
  await assert.rejects(fs.stat(configFile), { code: 'ENOENT' });
});

test('remote.SSH.configFile: ~ is the home directory; empty is ~/.ssh/config', () => {
  assert.equal(sshConfigFile('', '/home/ana'), '/home/ana/.ssh/config');
  assert.equal(sshConfigFile('~/work/ssh_config', '/home/ana'), '/home/ana/work/ssh_config');
  assert.equal(sshConfigFile('/etc/other', '/home/ana'), '/etc/other');
});
