import { promises as fs } from 'node:fs';
import { join } from 'node:path';

import { writeFileAtomic } from '../base/atomicFile';
import { fileWriteFailure } from '../errors/fileFailures';
import { KeyFactory } from '../ssh/keys';
import { type HostBlock, hostBlock, type HostEntry, type KeyFiles, writeHostBlock } from './hostEntry';
import { ensureKeyPair, type GeneratedPair, privateKeyName } from './keyPair';
import type { ProxyRuntime } from './proxyCommand';

/**
 * Everything the Remote-SSH handoff keeps on disk, in one directory only the user can enter: the key pair,
 * the host file the user's ssh config includes, and (for the editor) a copy of the CLI that the
 * ProxyCommand runs. The copy matters: the extension's own directory is versioned and deleted after an
 * update, and Remote-SSH reconnects with the host entries it has, without asking this extension first.
 */
export interface HandoffFiles {
  dir: string;
  hostFile: string;
  keys: KeyFiles;
  /** Where the editor's copy of the CLI lives. */
  cliCopy: string;
}

export function handoffFiles(dir: string): HandoffFiles {
  const privateKey = join(dir, privateKeyName);
  return { dir, hostFile: join(dir, 'config'), keys: { privateKey, publicKey: `${privateKey}.pub` }, cliCopy: join(dir, 'bin', 'cli.js') };
}

/** The CLI bundle's files: cli.js requires core.js (and, for `ec2ic proxy`, proxy.js) from its own directory. */
const cliBundle = ['cli.js', 'core.js', 'proxy.js'];

/** Copies the CLI bundle from `bundleDir` (the extension's dist/) beside `cliCopy`, when it differs. */
export async function installCliCopy(bundleDir: string, cliCopy: string): Promise<void> {
  const binDir = join(cliCopy, '..');
  await fs.mkdir(binDir, { recursive: true, mode: 0o700 });
  for (const name of cliBundle) {
    const source = await fs.readFile(join(bundleDir, name));
    const target = join(binDir, name);
    const current = await fs.readFile(target).catch(() => undefined);
    if (!current?.equals(source)) await writeFileAtomic(target, source, 0o600);
  }
}

export interface HandoffOptions {
  files: HandoffFiles;
  entry: HostEntry;
  runtime: ProxyRuntime;
  platform: NodeJS.Platform;
  /** Makes the key pair the first time (an ed25519 pair in OpenSSH format). */
  generateKey: () => GeneratedPair;
  /** The extension's dist/ directory, to copy the CLI from; omitted when the runtime runs the CLI where it is. */
  bundleDir?: string;
}

/** The host block the handoff would write (pure: validates the entry before anything is asked or written). */
export function handoffBlock(options: Omit<HandoffOptions, 'generateKey' | 'bundleDir'>): HostBlock {
  return hostBlock(options.entry, options.files.keys, options.runtime, options.platform);
}

/**
 * Key pair, CLI copy, host block: after this, `ssh <alias>` works with the host file as its config. The block
 * is checked before anything is written; a file that cannot be written is a ProductError naming it.
 */
export async function writeHandoff(options: HandoffOptions): Promise<HostBlock & { backupFile?: string }> {
  const block = handoffBlock(options);
  try {
    await ensureKeyPair(options.files.dir, options.generateKey);
    if (options.bundleDir) await installCliCopy(options.bundleDir, options.files.cliCopy);
    const { backupFile } = await writeHostBlock(options.files.hostFile, block);
    return { ...block, backupFile };
  } catch (err) {
    throw fileWriteFailure(err);
  }
}

/** The handoff's key pair: ed25519 always, since OpenSSH signs with it, not this runtime (no self-test needed). */
export function handoffKeyPair(): GeneratedPair {
  return new KeyFactory().generate('ed25519');
}
