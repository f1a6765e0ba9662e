import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

import { utils } from 'ssh2';

import { readTextIfExists, writeFileAtomic } from '../base/atomicFile';
import { ProductError } from '../errors/productError';
import type { KeyFiles } from './hostEntry';

/**
 * The one key pair OpenSSH uses for the Remote-SSH handoff (OpenSSH needs a file; the terminal keeps
 * using a fresh in-memory key per connection). It lives in a directory only the user can enter (0700),
 * the private key readable only by the user (0600: ssh refuses a looser one), and is created on first use.
 */

export interface GeneratedPair {
  /** OpenSSH PEM (`-----BEGIN OPENSSH PRIVATE KEY-----`), which OpenSSH and ssh2 both read. */
  privateKey: string;
  /** `ssh-ed25519 AAAA… comment` */
  publicKey: string;
}

export const privateKeyName = 'id_ed25519';

/** The key pair in `dir`, generated with `generate` when there is none yet. */
export async function ensureKeyPair(dir: string, generate: () => GeneratedPair): Promise<KeyFiles> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
  const privateKey = join(dir, privateKeyName);
  const publicKey = `${privateKey}.pub`;

  let pem = await readTextIfExists(privateKey);
  if (pem === undefined) {
    pem = await createPrivateKey(privateKey, generate().privateKey);
  } else {
    // Tightened if something loosened it: ssh ignores a private key others can read.
    await fs.chmod(privateKey, 0o600);
  }

  // The public key is derived from the private one, so the pair always matches, even when two windows
  // created keys at the same moment and one of them won.
  const line = `${publicLineOfFile(privateKey, pem)}\n`;
  if ((await readTextIfExists(publicKey)) !== line) await writeFileAtomic(publicKey, line, 0o600);
  return { privateKey, publicKey };
}

/**
 * Writes a new private key only if none exists: a fully written temporary file is hard-linked into place,
 * which fails when another process got there first (then that key is used).
 */
async function createPrivateKey(path: string, pem: string): Promise<string> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await fs.chmod(temp, 0o600);
    await fs.link(temp, path);
    return pem;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return fs.readFile(path, 'utf8');
    // File systems without hard links (FAT, some network shares): a rename, which a race can only make win twice.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    await fs.rename(temp, path);
    return pem;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** The public line of the key in `path`, or a ProductError naming the file and what to do about it. */
function publicLineOfFile(path: string, pem: string): string {
  try {
    return publicLineOf(pem);
  } catch (err) {
    throw new ProductError(
      'badInput',
      `The key file ${path} is not an OpenSSH private key (${(err as Error).message}). ` +
        `Move it away (or delete it and ${path}.pub), then try again: a new key pair is created. Instances keep no copy of it: each connection pushes the key again.`,
      { path },
    );
  }
}

/** `ssh-ed25519 AAAA… ec2-instance-connect` for a private key, as `ssh-keygen -y` would print it. */
export function publicLineOf(privatePem: string): string {
  const parsed = utils.parseKey(privatePem);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error(key instanceof Error ? key.message : 'no key in it');
  const blob = key.getPublicSSH();
  return `${key.type} ${blob.toString('base64')}${key.comment ? ` ${key.comment}` : ''}`;
}
