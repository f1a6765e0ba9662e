import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  backupPathFor,
  ensureInclude,
  includeLine,
  includeMarker,
  planInclude,
} from '../../../src/core/remote/sshConfigFile';
import type { PathStyle } from '../../../src/core/remote/sshConfigSyntax';

const linux: PathStyle = { platform: 'linux', home: '/home/ana' };
const hostsFile = '/home/ana/.config/Code/User/globalStorage/ec2ic.ec2-instance-connect/remote-ssh/config';
const ours = `${includeMarker}\nInclude "${hostsFile}"\n`;

function added(content: string | undefined): string {
  const plan = planInclude(content, hostsFile, linux);
  assert.equal(plan.kind, 'add');
  return plan.content;
}

describe('planInclude', () => {
  test('a missing or empty file gets just the marker and the Include', () => {
    assert.equal(added(undefined), ours);
    assert.equal(added(''), ours);
  });

  test('goes above the first Host block, everything else kept byte for byte', () => {
    const user = '# my hosts\nHost web\n  HostName 10.0.0.1\n  User me\n';
    assert.equal(added(user), `${ours}\n${user}`);
  });

  test('goes above global settings too, so that they cannot override the host entries', () => {
    const user = 'User root\nServerAliveInterval 30\n\nHost *\n  ForwardAgent no\n';
    assert.equal(added(user), `${ours}\n${user}`);
  });

  test('CRLF files get CRLF lines, the rest untouched', () => {
    const user = 'Host a\r\n  HostName a.example\r\n\r\nHost b\r\n  Port 2222\r\n';
    const out = added(user);
    assert.equal(out, `${includeMarker}\r\nInclude "${hostsFile}"\r\n\r\n${user}`);
    assert.ok(out.endsWith(user));
  });

  test('a file without a trailing newline keeps its last line as it was', () => {
    const user = 'Host a\n  HostName a.example';
    assert.equal(added(user), `${ours}\n${user}`);
  });

  test('a file whose first block is Match', () => {
    const user = 'Match host *.internal exec "test -f /tmp/vpn"\n  ProxyJump bastion\nHost x\n  User y\n';
    assert.equal(added(user), `${ours}\n${user}`);
  });

  test('an existing Include of another file stays, ours is added once', () => {
    const user = 'Include ~/.orbstack/ssh/config\n\nHost a\n  User b\n';
    const out = added(user);
    assert.equal(out, `${ours}\n${user}`);
    assert.equal(planInclude(out, hostsFile, linux).kind, 'present');
  });

  test('running again finds the line and changes nothing, however often', () => {
    let content = added('Host a\n  User b\n');
    for (let i = 0; i < 3; i++) assert.deepEqual(planInclude(content, hostsFile, linux), { kind: 'present', line: includeLine(hostsFile, linux) });
    content = added(undefined);
    assert.equal(planInclude(content, hostsFile, linux).kind, 'present');
  });

  test('an Include of our file written by hand (any case, =, no quotes) counts as present', () => {
    for (const line of [`include ${hostsFile}`, `INCLUDE=${hostsFile}`, `  Include /etc/other "${hostsFile}"`]) {
      assert.equal(planInclude(`${line}\nHost a\n`, hostsFile, linux).kind, 'present', line);
    }
  });

  test('our lines stranded inside a Host block (where ssh ignores them for other hosts) move to the top', () => {
    const user = 'Host a\n  User b\n';
    const stranded = `Host *\n  ServerAliveInterval 5\n${ours}${user}`;
    assert.equal(added(stranded), `${ours}\nHost *\n  ServerAliveInterval 5\n${user}`);
  });

  test('a UTF-8 byte order mark stays first', () => {
    assert.equal(added('\uFEFFHost a\n'), `\uFEFF${ours}\nHost a\n`);
  });

  test('paths with spaces are quoted; quotes, backslashes and glob characters escaped', () => {
    assert.equal(
      includeLine('/Users/Ana Lopez/Library/Application Support/Code/User/globalStorage/x/config', { platform: 'darwin', home: '/Users/Ana Lopez' }),
      'Include "/Users/Ana Lopez/Library/Application Support/Code/User/globalStorage/x/config"',
    );
    assert.equal(includeLine('/home/a/we"ird [1]/c*?\\x', linux), 'Include "/home/a/we\\"ird \\\\[1\\\\]/c\\\\*\\\\?\\\\\\\\x"');
    const odd = '/home/a/we"ird [1]/c*?\\x';
    assert.equal(planInclude(`${includeLine(odd, linux)}\n`, odd, linux).kind, 'present');
  });

  test('Windows: forward slashes, ~ for the profile directory, case-insensitive match', () => {
    const windows: PathStyle = { platform: 'win32', home: 'C:\\Users\\Ana Lopez' };
    const file = 'C:\\Users\\Ana Lopez\\AppData\\Roaming\\Code\\User\\globalStorage\\x\\config';
    assert.equal(includeLine(file, windows), 'Include "~/AppData/Roaming/Code/User/globalStorage/x/config"');
    assert.equal(includeLine('D:\\portable\\data\\config', windows), 'Include "D:/portable/data/config"');
    const handWritten = 'Include "c:/users/ana lopez/appdata/roaming/code/user/globalstorage/x/config"\r\nHost a\r\n';
    assert.equal(planInclude(handWritten, file, windows).kind, 'present');
  });

  test('a line break in the path is refused rather than written', () => {
    assert.throws(() => planInclude('', '/home/a/x\ny', linux), /line break/);
  });
});

describe('ensureInclude', () => {
  async function tempDir(): Promise<string> {
    return fs.mkdtemp(join(tmpdir(), 'ec2ic-sshconfig-'));
  }

  test('asks with the exact line, writes it, keeps the mode, and copies the previous file', async () => {
    const dir = await tempDir();
    const config = join(dir, 'config');
    const user = 'Host a\r\n  User b';
    await fs.writeFile(config, user, { mode: 0o640 });
    await fs.chmod(config, 0o640);
    const asked: string[] = [];
    const result = await ensureInclude(config, hostsFile, {
      ...linux,
      confirm: async (line, file) => {
        asked.push(`${file}: ${line}`);
        return true;
      },
    });
    assert.deepEqual(asked, [`${config}: Include "${hostsFile}"`]);
    assert.equal(result.outcome, 'added');
    assert.equal(await fs.readFile(config, 'utf8'), `${includeMarker}\r\nInclude "${hostsFile}"\r\n\r\n${user}`);
    assert.equal((await fs.stat(config)).mode & 0o777, 0o640);
    assert.equal(result.backupFile, backupPathFor(config));
    assert.equal(await fs.readFile(backupPathFor(config), 'utf8'), user);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['config', 'config.before-ec2ic']);

    const again = await ensureInclude(config, hostsFile, { ...linux, confirm: async () => assert.fail('asked twice') });
    assert.equal(again.outcome, 'present');
  });

  test('declined: nothing is written, not even a backup', async () => {
    const dir = await tempDir();
    const config = join(dir, 'config');
    await fs.writeFile(config, 'Host a\n');
    const before = await fs.stat(config);
    const result = await ensureInclude(config, hostsFile, { ...linux, confirm: async () => false });
    assert.equal(result.outcome, 'declined');
    assert.equal(await fs.readFile(config, 'utf8'), 'Host a\n');
    assert.equal((await fs.stat(config)).mtimeMs, before.mtimeMs);
    assert.deepEqual(await fs.readdir(dir), ['config']);
  });

  test('a missing config (and ~/.ssh) is created 0600 in a 0700 directory, with no backup', async () => {
    const dir = await tempDir();
    const config = join(dir, '.ssh', 'config');
    const result = await ensureInclude(config, hostsFile, { ...linux, confirm: async () => true });
    assert.equal(result.outcome, 'added');
    assert.equal(result.backupFile, undefined);
    assert.equal(await fs.readFile(config, 'utf8'), ours);
    assert.equal((await fs.stat(config)).mode & 0o777, 0o600);
    assert.equal((await fs.stat(join(dir, '.ssh'))).mode & 0o777, 0o700);
  });

  test('a symlinked config is edited where it lives; the link stays a link', async () => {
    const dir = await tempDir();
    const target = join(dir, 'dotfiles-ssh-config');
    const link = join(dir, 'config');
    await fs.writeFile(target, 'Host a\n', { mode: 0o600 });
    await fs.symlink(target, link);
    await ensureInclude(link, hostsFile, { ...linux, confirm: async () => true });
    assert.ok((await fs.lstat(link)).isSymbolicLink());
    assert.equal(await fs.readFile(target, 'utf8'), `${ours}\nHost a\n`);
  });

  test('a file changed while the question was open is planned again from what it holds now', async () => {
    const dir = await tempDir();
    const config = join(dir, 'config');
    await fs.writeFile(config, 'Host a\n');
    await ensureInclude(config, hostsFile, {
      ...linux,
      confirm: async () => {
        await fs.writeFile(config, 'Host a\nHost b\n');
        return true;
      },
    });
    assert.equal(await fs.readFile(config, 'utf8'), `${ours}\nHost a\nHost b\n`);
    assert.equal(await fs.readFile(backupPathFor(config), 'utf8'), 'Host a\nHost b\n');
  });
});
