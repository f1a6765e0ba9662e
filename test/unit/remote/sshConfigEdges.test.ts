// The user's ssh config when it is not a plain file of theirs: a link to nowhere, read-only, root's, in a
// folder they cannot write. Each one is left as it was, with a message that names it; nothing is lost.
// Root ignores permissions, so the cases that depend on them run as `nobody` (setpriv) when the tests run as root.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { describeFailure } from '../../../src/core/errors/describe';
import { isProductError } from '../../../src/core/errors/productError';
import { backupPathFor, ensureInclude, includeMarker } from '../../../src/core/remote/sshConfigFile';
import type { PathStyle } from '../../../src/core/remote/sshConfigSyntax';

const linux: PathStyle = { platform: 'linux', home: '/home/ana' };
const hostsFile = '/home/ana/.config/ec2ic/config';
const ours = `${includeMarker}\nInclude "${hostsFile}"\n`;
const yes = { ...linux, confirm: async () => true };
const isRoot = process.getuid?.() === 0;
const nobody = 65534;
const dirs: string[] = [];

after(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'ec2ic-sshedges-'));
  dirs.push(dir);
  return dir;
}

type Outcome = { outcome?: string; kind?: string; message?: string; raw?: string; actions?: string[] };

/**
 * ensureInclude as an unprivileged user: `nobody` in a child process when the tests run as root, else this
 * process. A failure comes back as the editor would show it (describeFailure: its words and its buttons).
 */
async function ensureIncludeUnprivileged(config: string): Promise<Outcome> {
  const ctx = { operation: 'remoteSSH', instanceId: 'i-0123456789abcdef0', region: 'eu-west-1' };
  if (!isRoot) {
    try {
      return { outcome: (await ensureInclude(config, hostsFile, yes)).outcome };
    } catch (err) {
      const { message, actions } = describeFailure(err, ctx);
      return { kind: isProductError(err) ? err.kind : undefined, message, actions, raw: String(err) };
    }
  }
  const src = resolve(__dirname, '../../../src/core');
  const script = `
    const { ensureInclude } = require(${JSON.stringify(join(src, 'remote/sshConfigFile.ts'))});
    const { describeFailure } = require(${JSON.stringify(join(src, 'errors/describe.ts'))});
    ensureInclude(process.env.CONFIG, ${JSON.stringify(hostsFile)}, { platform: 'linux', home: '/home/ana', confirm: async () => true })
      .then((r) => console.log(JSON.stringify({ outcome: r.outcome })))
      .catch((e) => {
        const { message, actions } = describeFailure(e, ${JSON.stringify(ctx)});
        console.log(JSON.stringify({ kind: e.name === 'ProductError' ? e.kind : undefined, message, actions, raw: String(e) }));
      });`;
  const { stdout } = await promisify(execFile)(
    'setpriv',
    [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', process.execPath, '--import', 'tsx', '-e', script],
    { env: { ...process.env, CONFIG: config }, cwd: resolve(__dirname, '../../..') },
  );
  return JSON.parse(stdout);
}

describe('ensureInclude on configs that are not plain files of the user', () => {
  test('a dangling ~/.ssh/config link: the file is created where the link points, and the link stays a link', async () => {
    const dir = await tempDir();
    await fs.mkdir(join(dir, 'dotfiles'));
    const link = join(dir, 'config');
    await fs.symlink(join(dir, 'dotfiles', 'ssh_config'), link);
    const result = await ensureInclude(link, hostsFile, yes);
    assert.equal(result.outcome, 'added');
    assert.ok((await fs.lstat(link)).isSymbolicLink(), 'the link was replaced by a regular file');
    assert.equal(await fs.readFile(join(dir, 'dotfiles', 'ssh_config'), 'utf8'), ours);
    assert.equal(result.configFile, join(dir, 'dotfiles', 'ssh_config'));
  });

  test('a link to a folder that does not exist either: refused with both paths, the link left as it is', async () => {
    const dir = await tempDir();
    const link = join(dir, 'config');
    const target = join(dir, 'dotfiles-not-cloned', 'ssh_config');
    await fs.symlink(target, link);
    await assert.rejects(ensureInclude(link, hostsFile, yes), (err) => {
      assert.ok(isProductError(err, 'fileNotWritable'), String(err));
      assert.ok(err.message.includes(`${link} is a symbolic link to ${target}, which does not exist`), err.message);
      return true;
    });
    assert.ok((await fs.lstat(link)).isSymbolicLink());
    assert.deepEqual(await fs.readdir(dir), ['config']);
  });

  test('a read-only (0400) config is not replaced, even for its owner: the message says why and gives the line', async () => {
    const dir = await tempDir();
    const config = join(dir, 'config');
    await fs.writeFile(config, 'Host *\n  User alice\n');
    await fs.chmod(config, 0o400);
    let asked = false;
    await assert.rejects(
      ensureInclude(config, hostsFile, {
        ...linux,
        confirm: async () => {
          asked = true;
          return true;
        },
      }),
      (err) => {
        assert.ok(isProductError(err, 'fileNotWritable'), String(err));
        assert.ok(err.message.startsWith(`${config} is read-only (mode 0400), so it was not changed.`), err.message);
        assert.ok(err.message.includes(`Include "${hostsFile}"`), err.message);
        return true;
      },
    );
    assert.equal(asked, false, 'asked about a file that cannot be changed');
    assert.equal(await fs.readFile(config, 'utf8'), 'Host *\n  User alice\n');
    assert.equal((await fs.stat(config)).mode & 0o777, 0o400);
    assert.deepEqual(await fs.readdir(dir), ['config']);
  });

  test('a config owned by another user keeps its owner when root edits it', { skip: !isRoot && 'needs root to make a file of another user' }, async () => {
    const dir = await tempDir();
    const config = join(dir, 'config');
    await fs.writeFile(config, 'Host a\n', { mode: 0o644 });
    await fs.chown(config, nobody, nobody);
    await ensureInclude(config, hostsFile, yes);
    const stats = await fs.stat(config);
    assert.deepEqual([stats.uid, stats.gid, stats.mode & 0o777], [nobody, nobody, 0o644]);
    assert.equal(await fs.readFile(config, 'utf8'), `${ours}\nHost a\n`);
  });

  test("a root-owned config in the user's own ~/.ssh is refused for the user, not handed over to them", { skip: !isRoot && 'needs root to make a root-owned file' }, async () => {
    const dir = await tempDir();
    const ssh = join(dir, '.ssh');
    await fs.mkdir(ssh, { mode: 0o700 });
    const config = join(ssh, 'config');
    await fs.writeFile(config, 'Host a\n', { mode: 0o644 });
    await fs.chown(dir, nobody, nobody);
    await fs.chown(ssh, nobody, nobody);
    const result = await ensureIncludeUnprivileged(config);
    assert.equal(result.kind, 'fileNotWritable', JSON.stringify(result));
    assert.ok(result.message?.includes(`${config} belongs to another user (uid 0), so it was not changed`), result.message);
    const stats = await fs.stat(config);
    assert.equal(stats.uid, 0);
    assert.equal(await fs.readFile(config, 'utf8'), 'Host a\n');
    assert.deepEqual(await fs.readdir(ssh), ['config']);
  });

  test('an unwritable ~/.ssh: a message naming the file and the folder, no temporary file name, no Retry, nothing changed', async () => {
    const dir = await tempDir();
    const ssh = join(dir, '.ssh');
    await fs.mkdir(ssh, { mode: 0o700 });
    const config = join(ssh, 'config');
    await fs.writeFile(config, 'Host a\n', { mode: 0o600 });
    if (isRoot) {
      for (const path of [dir, ssh, config]) await fs.chown(path, nobody, nobody);
    }
    await fs.chmod(ssh, 0o500);
    const result = await ensureIncludeUnprivileged(config);
    await fs.chmod(ssh, 0o700);
    assert.equal(result.kind, 'fileNotWritable', JSON.stringify(result));
    assert.deepEqual(result.actions, [], 'a Retry would fail the same way');
    assert.ok(result.message?.includes(`Could not write ${config}: its folder ${ssh} is not writable by you (EACCES), so nothing was changed.`), result.message);
    assert.doesNotMatch(result.message ?? '', /\.tmp/);
    assert.equal(await fs.readFile(config, 'utf8'), 'Host a\n');
    assert.deepEqual(await fs.readdir(ssh), ['config']);
  });

  test('the backup is the file as the user first had it: adding the line again later keeps it', async () => {
    const dir = await tempDir();
    const config = join(dir, 'config');
    await fs.writeFile(config, 'Host original\n', { mode: 0o600 });
    await ensureInclude(config, hostsFile, yes);
    // The user takes our lines out again, and edits the file; a later Open in Remote-SSH adds them back.
    await fs.writeFile(config, 'Host edited\n');
    const again = await ensureInclude(config, hostsFile, yes);
    assert.equal(again.outcome, 'added');
    assert.equal(again.backupFile, backupPathFor(config));
    assert.equal(await fs.readFile(backupPathFor(config), 'utf8'), 'Host original\n');
    assert.equal(await fs.readFile(config, 'utf8'), `${ours}\nHost edited\n`);
  });
});
