import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { hostAlias, hostBlock, type HostEntry, hostFileBackupPath, hostFileHeader, type KeyFiles, upsertHostBlock, writeHostBlock } from '../../../src/core/remote/hostEntry';
import type { ProxyRuntime } from '../../../src/core/remote/proxyCommand';

const runtime: ProxyRuntime = { executable: '/usr/share/code/code', electron: true, cliScript: '/home/ana/.config/Code/User/globalStorage/ec2ic.ec2-instance-connect/remote-ssh/bin/cli.js' };
const keys: KeyFiles = {
  privateKey: '/home/ana/.config/Code/User/globalStorage/ec2ic.ec2-instance-connect/remote-ssh/id_ed25519',
  publicKey: '/home/ana/.config/Code/User/globalStorage/ec2ic.ec2-instance-connect/remote-ssh/id_ed25519.pub',
};
const web: HostEntry = { instanceId: 'i-0123456789abcdef0', name: 'Web Server', region: 'eu-west-1', profile: 'dev', user: 'ec2-user', port: 22 };

describe('hostAlias', () => {
  test('lower case, from the name and the id, stable', () => {
    assert.equal(hostAlias('i-0123456789abcdef0', 'Web Server'), 'ec2-web-server-i-0123456789abcdef0');
    assert.equal(hostAlias('i-0123456789abcdef0', 'Web Server'), hostAlias('i-0123456789abcdef0', 'Web Server'));
    assert.equal(hostAlias('i-0123456789abcdef0'), 'ec2-i-0123456789abcdef0');
  });

  test('hostile or exotic names become a plain slug; nothing of them can reach the config unescaped', () => {
    assert.equal(hostAlias('i-0123456789abcdef0', 'Café Résumé'), 'ec2-cafe-resume-i-0123456789abcdef0');
    assert.equal(hostAlias('i-0123456789abcdef0', 'x\n  ProxyCommand evil *!?,'), 'ec2-x-proxycommand-evil-i-0123456789abcdef0');
    assert.equal(hostAlias('i-0123456789abcdef0', '日本語'), 'ec2-i-0123456789abcdef0');
    assert.equal(hostAlias('i-0123456789abcdef0', 'a'.repeat(100)).length, 'ec2-'.length + 40 + '-i-0123456789abcdef0'.length);
  });
});

describe('hostBlock', () => {
  test('one Host block between markers, everything ssh needs', () => {
    assert.equal(
      hostBlock(web, keys, runtime, 'linux').text,
      [
        '# >>> ec2ic host ec2-web-server-i-0123456789abcdef0',
        'Host ec2-web-server-i-0123456789abcdef0',
        '  HostName i-0123456789abcdef0',
        '  User ec2-user',
        '  Port 22',
        `  IdentityFile "${keys.privateKey}"`,
        '  IdentitiesOnly yes',
        `  ProxyCommand env ELECTRON_RUN_AS_NODE=1 /usr/share/code/code ${runtime.cliScript} proxy i-0123456789abcdef0 --user ec2-user --port 22 --region eu-west-1 --profile dev --public-key ${keys.publicKey}`,
        '# <<< ec2ic host ec2-web-server-i-0123456789abcdef0',
        '',
      ].join('\n'),
    );
  });

  test('endpoint, connection type and Instance Connect Endpoint reach the proxy; the default profile is left to the environment', () => {
    const text = hostBlock({ ...web, profile: undefined, endpoint: 'http://127.0.0.1:4566', connectionType: 'eice', endpointId: 'eice-0123456789abcdef0', port: 2222 }, keys, runtime, 'linux').text;
    assert.match(text, / --port 2222 --region eu-west-1 --endpoint http:\/\/127.0.0.1:4566 --connection-type eice --eice-id eice-0123456789abcdef0 --public-key /);
    assert.doesNotMatch(hostBlock({ ...web, connectionType: 'auto' }, keys, runtime, 'linux').text, /--connection-type/, 'auto is the proxy\'s default');
    assert.throws(() => hostBlock({ ...web, endpointId: 'eice-x; rm -rf ~' }, keys, runtime, 'linux'), /not an EC2 Instance Connect Endpoint id/);
    assert.doesNotMatch(text, /--profile/);
    assert.match(text, /\n {2}Port 2222\n/);
  });

  test('key paths with spaces and % (Windows): forward slashes, quoted, %% for ssh', () => {
    const windowsKeys: KeyFiles = { privateKey: 'C:\\Users\\Ana 100%\\gs\\id_ed25519', publicKey: 'C:\\Users\\Ana 100%\\gs\\id_ed25519.pub' };
    const text = hostBlock(web, windowsKeys, { ...runtime, executable: 'C:\\Code\\Code.exe', comspec: 'C:\\WINDOWS\\system32\\cmd.exe' }, 'win32').text;
    assert.match(text, /\n {2}IdentityFile "C:\/Users\/Ana 100%%\/gs\/id_ed25519"\n/);
    assert.match(text, / --public-key "C:\/Users\/Ana 100%%\/gs\/id_ed25519.pub"\n/);
  });

  test('bad values are refused with a message, never written', () => {
    assert.throws(() => hostBlock({ ...web, user: 'root\n  ProxyCommand x' }, keys, runtime, 'linux'), /not a user name/);
    assert.throws(() => hostBlock({ ...web, instanceId: 'i-zz' }, keys, runtime, 'linux'), /not a valid instance id/);
    assert.throws(() => hostBlock({ ...web, port: 70000 }, keys, runtime, 'linux'), /not a valid SSH port/);
    assert.throws(() => hostBlock(web, { ...keys, privateKey: '/home/${USER}/k' }, runtime, 'linux'), /cannot contain/);
  });
});

describe('upsertHostBlock', () => {
  const db: HostEntry = { instanceId: 'i-0fedcba9876543210', name: 'db', region: 'eu-west-1', user: 'ubuntu', port: 22 };

  test('a new file gets the header and the block; more blocks are appended', () => {
    const one = upsertHostBlock(undefined, hostBlock(web, keys, runtime, 'linux'));
    assert.equal(one, `${hostFileHeader}\n${hostBlock(web, keys, runtime, 'linux').text}`);
    const two = upsertHostBlock(one, hostBlock(db, keys, runtime, 'linux'));
    assert.equal(two, `${one}\n${hostBlock(db, keys, runtime, 'linux').text}`);
  });

  test('updating one block replaces it alone; every other byte stays', () => {
    const first = upsertHostBlock(upsertHostBlock(undefined, hostBlock(web, keys, runtime, 'linux')), hostBlock(db, keys, runtime, 'linux'));
    const withNote = `${first}# a note someone added\n`;
    const updated = upsertHostBlock(withNote, hostBlock({ ...web, user: 'admin' }, keys, runtime, 'linux'));
    assert.equal(updated, withNote.replace(hostBlock(web, keys, runtime, 'linux').text, hostBlock({ ...web, user: 'admin' }, keys, runtime, 'linux').text));
    assert.match(updated, /User admin/);
    assert.doesNotMatch(updated, /User ec2-user/);
    assert.ok(updated.includes(hostBlock(db, keys, runtime, 'linux').text));
    assert.equal(upsertHostBlock(updated, hostBlock({ ...web, user: 'admin' }, keys, runtime, 'linux')), updated);
  });

  test('a block whose end marker was deleted is replaced up to the next block', () => {
    const webText = hostBlock(web, keys, runtime, 'linux').text;
    const dbText = hostBlock(db, keys, runtime, 'linux').text;
    const broken = `${hostFileHeader}\n${webText.replace(/# <<<.*\n$/, '')}\n${dbText}`;
    const fixed = upsertHostBlock(broken, hostBlock({ ...web, port: 2022 }, keys, runtime, 'linux'));
    assert.equal(fixed, `${hostFileHeader}\n${hostBlock({ ...web, port: 2022 }, keys, runtime, 'linux').text}\n${dbText}`);
  });

  test("a block whose end marker was deleted stops at the user's own lines: their Host mine stays", () => {
    const webText = hostBlock(web, keys, runtime, 'linux').text;
    const mine = '# my own host\nHost mine\n  HostName 10.0.0.9\n  User me\n';
    const broken = `${hostFileHeader}\n${webText.replace(/# <<<.*\n$/, '')}\n${mine}`;
    const fixed = upsertHostBlock(broken, hostBlock({ ...web, port: 2022 }, keys, runtime, 'linux'));
    assert.equal(fixed, `${hostFileHeader}\n${hostBlock({ ...web, port: 2022 }, keys, runtime, 'linux').text}\n${mine}`);
    // Without even a blank line or a comment in between.
    const tight = `${hostFileHeader}\n${webText.replace(/# <<<.*\n$/, '')}Host mine\n  User me\n`;
    assert.ok(upsertHostBlock(tight, hostBlock(web, keys, runtime, 'linux')).endsWith(`${webText}Host mine\n  User me\n`));
  });
});

describe('writeHostBlock', () => {
  test('repairing a block whose end marker was deleted first copies the host file as it was', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'ec2ic-hosts-'));
    const file = join(dir, 'config');
    const broken = `${hostFileHeader}\n${hostBlock(web, keys, runtime, 'linux').text.replace(/# <<<.*\n$/, '')}Host mine\n  User me\n`;
    await fs.writeFile(file, broken, { mode: 0o600 });
    const { backupFile } = await writeHostBlock(file, hostBlock({ ...web, user: 'admin' }, keys, runtime, 'linux'));
    assert.equal(backupFile, hostFileBackupPath(file));
    assert.equal(await fs.readFile(hostFileBackupPath(file), 'utf8'), broken);
    assert.match(await fs.readFile(file, 'utf8'), /^Host mine\n {2}User me\n$/m);
    await fs.rm(dir, { recursive: true });
  });

  test('writes the file 0600 in a 0700 directory, and updates in place', async () => {
    const dir = join(await fs.mkdtemp(join(tmpdir(), 'ec2ic-hosts-')), 'remote-ssh');
    const file = join(dir, 'config');
    await writeHostBlock(file, hostBlock(web, keys, runtime, 'linux'));
    await writeHostBlock(file, hostBlock({ ...web, user: 'admin' }, keys, runtime, 'linux'));
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.equal((await fs.stat(dir)).mode & 0o777, 0o700);
    const text = await fs.readFile(file, 'utf8');
    assert.equal(text.match(/^Host /gm)?.length, 1);
    assert.match(text, /User admin/);
  });
});
