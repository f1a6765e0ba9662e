import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { isProductError } from '../../../src/core/errors/productError';
import { ensureKeyPair, type GeneratedPair } from '../../../src/core/remote/keyPair';
import { ed25519Pair } from '../../fakes/keys';

function ed25519(): GeneratedPair {
  const pair = ed25519Pair('ec2-instance-connect');
  return { privateKey: pair.private, publicKey: pair.public };
}

async function storageDir(): Promise<string> {
  return join(await fs.mkdtemp(join(tmpdir(), 'ec2ic-keys-')), 'globalStorage', 'remote-ssh');
}

test('created on first use: directory 0700, private key 0600, a public key OpenSSH agrees with', async () => {
  const dir = await storageDir();
  let generated = 0;
  const files = await ensureKeyPair(dir, () => {
    generated++;
    return ed25519();
  });
  assert.equal(generated, 1);
  assert.equal((await fs.stat(dir)).mode & 0o777, 0o700);
  assert.equal((await fs.stat(files.privateKey)).mode & 0o777, 0o600);
  assert.match(await fs.readFile(files.privateKey, 'utf8'), /^-----BEGIN OPENSSH PRIVATE KEY-----/);
  const fromOpenSsh = execFileSync('ssh-keygen', ['-y', '-f', files.privateKey], { encoding: 'utf8' }).trim();
  assert.equal((await fs.readFile(files.publicKey, 'utf8')).trim(), fromOpenSsh);
  assert.match(fromOpenSsh, /^ssh-ed25519 \S+ ec2-instance-connect$/);
});

test('used again afterwards, never regenerated; loosened modes are tightened', async () => {
  const dir = await storageDir();
  const first = await ensureKeyPair(dir, ed25519);
  const pem = await fs.readFile(first.privateKey, 'utf8');
  await fs.chmod(first.privateKey, 0o644);
  await fs.chmod(dir, 0o755);
  const again = await ensureKeyPair(dir, () => assert.fail('generated a second key'));
  assert.deepEqual(again, first);
  assert.equal(await fs.readFile(again.privateKey, 'utf8'), pem);
  assert.equal((await fs.stat(again.privateKey)).mode & 0o777, 0o600);
  assert.equal((await fs.stat(dir)).mode & 0o777, 0o700);
});

test('two windows creating it at once end with one pair that matches', async () => {
  const dir = await storageDir();
  const [a, b] = await Promise.all([ensureKeyPair(dir, ed25519), ensureKeyPair(dir, ed25519)]);
  assert.deepEqual(a, b);
  const fromOpenSsh = execFileSync('ssh-keygen', ['-y', '-f', a.privateKey], { encoding: 'utf8' }).trim();
  assert.equal((await fs.readFile(a.publicKey, 'utf8')).trim(), fromOpenSsh);
  assert.deepEqual((await fs.readdir(dir)).sort(), ['id_ed25519', 'id_ed25519.pub']);
});

test('a corrupt private key file: the message names the file and says what to do', async () => {
  const dir = await storageDir();
  await ensureKeyPair(dir, ed25519);
  const privateKey = join(dir, 'id_ed25519');
  await fs.writeFile(privateKey, 'not a key\n');
  await assert.rejects(ensureKeyPair(dir, ed25519), (err) => {
    assert.ok(isProductError(err), String(err));
    assert.ok(err.message.startsWith(`The key file ${privateKey} is not an OpenSSH private key`), err.message);
    assert.match(err.message, /Move it away/);
    return true;
  });
  assert.equal(await fs.readFile(privateKey, 'utf8'), 'not a key\n');
  await fs.rm(join(dir, '..', '..'), { recursive: true });
});
