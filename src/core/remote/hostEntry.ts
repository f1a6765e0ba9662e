import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

import { isInstanceId } from '../aws/model';
import { readTextIfExists, writeFileAtomic } from '../base/atomicFile';
import { type ConnectionType, defaultSettings } from '../base/settings';
import { ProductError } from '../errors/productError';
import { proxyCommandLine, type ProxyRuntime, windowsPath } from './proxyCommand';
import { escapeTokens, quoteConfigArg } from './sshConfigSyntax';

/**
 * The ssh config file this extension owns: one `Host` block per instance, each between marker comments so
 * that writing one block leaves every other line of the file as it was. ssh connects to the alias through
 * a ProxyCommand that pushes the key and relays the connection, so the key's 60-second window never
 * matters, however often Remote-SSH reconnects.
 */

/** One instance as a host entry: everything the ProxyCommand needs to reach it again later. */
export interface HostEntry {
  instanceId: string;
  /** The Name tag: untrusted text, only a slug of it reaches the file. */
  name?: string;
  region: string;
  /** undefined = the default credential chain of whoever runs ssh. */
  profile?: string;
  user: string;
  port: number;
  /** A custom endpoint for EC2 and EC2 Instance Connect (the editor's setting), passed on to the proxy. */
  endpoint?: string;
  /** How the proxy reaches the instance; omitted = the CLI's default (auto). */
  connectionType?: ConnectionType;
  /** The Instance Connect Endpoint to go through; omitted = the one in the instance's subnet, else its VPC. */
  endpointId?: string;
  /** Seconds each stage of the proxy's connection may take; omitted = its default. */
  connectTimeoutSeconds?: number;
}

/** The key pair OpenSSH authenticates with: the private key for IdentityFile, the public one for the push. */
export interface KeyFiles {
  privateKey: string;
  publicKey: string;
}

export const hostFileHeader = [
  '# Hosts for "Open in Remote-SSH", written by the EC2 Instance Connect extension and included from your ssh config.',
  '# Each block is rewritten when its instance is opened again: edits inside a block do not last.',
  '',
].join('\n');

const osUserPattern = /^[A-Za-z0-9_][A-Za-z0-9_.@$-]{0,31}$/;

/** A stable, lower-case alias: `ec2-<name>-<instance id>`, or `ec2-<instance id>` for an unnamed instance. */
export function hostAlias(instanceId: string, name?: string): string {
  const slug = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug ? `ec2-${slug}-${instanceId.toLowerCase()}` : `ec2-${instanceId.toLowerCase()}`;
}

function validate(entry: HostEntry): void {
  if (!isInstanceId(entry.instanceId)) throw new ProductError('badInput', `"${entry.instanceId}" is not a valid instance id.`);
  if (!osUserPattern.test(entry.user)) {
    throw new ProductError('badInput', `"${entry.user}" is not a user name ssh can be configured with (letters, digits, _ . @ $ -, at most 32).`);
  }
  if (!Number.isInteger(entry.port) || entry.port < 1 || entry.port > 65535) {
    throw new ProductError('badInput', `${entry.port} is not a valid SSH port (1 to 65535).`);
  }
  if (!/^[a-z0-9-]+$/.test(entry.region)) throw new ProductError('badInput', `"${entry.region}" is not a valid region name.`);
  if (entry.endpointId !== undefined && !endpointIdPattern.test(entry.endpointId)) {
    throw new ProductError('badInput', `"${entry.endpointId}" is not an EC2 Instance Connect Endpoint id (eice-0123456789abcdef0).`);
  }
}

const endpointIdPattern = /^eice-[0-9a-f]{8,17}$/;

/** The arguments of `ec2ic proxy` for an entry. */
export function proxyArgs(entry: HostEntry, publicKeyFile: string): string[] {
  const args = ['proxy', entry.instanceId, '--user', entry.user, '--port', String(entry.port), '--region', entry.region];
  if (entry.profile) args.push('--profile', entry.profile);
  if (entry.endpoint) args.push('--endpoint', entry.endpoint);
  if (entry.connectionType && entry.connectionType !== 'auto') args.push('--connection-type', entry.connectionType);
  if (entry.endpointId) args.push('--eice-id', entry.endpointId);
  if (entry.connectTimeoutSeconds !== undefined && entry.connectTimeoutSeconds !== defaultSettings.connectTimeoutSeconds) {
    args.push('--connect-timeout', String(entry.connectTimeoutSeconds));
  }
  args.push('--public-key', publicKeyFile);
  return args;
}

function identityFileArg(path: string, platform: NodeJS.Platform): string {
  const file = platform === 'win32' ? windowsPath(path) : path;
  // IdentityFile expands ${VAR}, and there is no escape for it.
  if (file.includes('${')) throw new ProductError('badInput', `The key file path cannot contain "\${": ${file}`);
  return quoteConfigArg(escapeTokens(file));
}

const beginMarker = (alias: string) => `# >>> ec2ic host ${alias}`;
const endMarker = (alias: string) => `# <<< ec2ic host ${alias}`;

export interface HostBlock {
  alias: string;
  /** The block's lines, markers included, each ending in a newline. */
  text: string;
}

export function hostBlock(entry: HostEntry, keys: KeyFiles, runtime: ProxyRuntime, platform: NodeJS.Platform): HostBlock {
  validate(entry);
  const alias = hostAlias(entry.instanceId, entry.name);
  const publicKey = platform === 'win32' ? windowsPath(keys.publicKey) : keys.publicKey;
  const lines = [
    beginMarker(alias),
    `Host ${alias}`,
    `  HostName ${entry.instanceId}`,
    `  User ${entry.user}`,
    `  Port ${entry.port}`,
    `  IdentityFile ${identityFileArg(keys.privateKey, platform)}`,
    '  IdentitiesOnly yes',
    `  ProxyCommand ${proxyCommandLine(runtime, proxyArgs(entry, publicKey), platform)}`,
    endMarker(alias),
  ];
  return { alias, text: `${lines.join('\n')}\n` };
}

/** Where a block is in the host file's lines: from its begin marker to the line after it ends. */
function locateBlock(lines: string[], alias: string): { start: number; after: number; endMissing: boolean } | undefined {
  const start = lines.findIndex((line) => line.trim() === beginMarker(alias));
  if (start === -1) return undefined;
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('# >>> ec2ic host '); i++) {
    if (lines[i].trim() === endMarker(alias)) return { start, after: i + 1, endMissing: false };
  }
  // The end marker was deleted by hand: the block is its Host line and the indented lines under it, no
  // further. A line of anything else (a blank line, a comment, the user's own Host or Match) is not ours.
  let after = start + 1;
  if (after < lines.length && /^\s*host[\s=]/i.test(lines[after])) after++;
  while (after < lines.length && /^[ \t]+\S/.test(lines[after]) && !lines[after].trim().startsWith('#')) after++;
  return { start, after, endMissing: true };
}

/**
 * The host file with `block` in it (pure): replaces the block with the same alias, or appends it. Every
 * other line stays byte for byte.
 */
export function upsertHostBlock(content: string | undefined, block: HostBlock): string {
  const existing = content ?? '';
  if (existing.trim() === '') return `${hostFileHeader}\n${block.text}`;
  const lines = existing.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const found = locateBlock(lines, block.alias);
  if (!found) {
    const body = existing.endsWith('\n') ? existing : `${existing}\n`;
    return `${body}\n${block.text}`;
  }
  return [...lines.slice(0, found.start), block.text, ...lines.slice(found.after)].join('');
}

/** Where writeHostBlock copies the host file before it repairs a block whose end marker was deleted. */
export function hostFileBackupPath(hostFile: string): string {
  return `${hostFile}.before-repair`;
}

/**
 * Writes one block into the host file (created 0600 in a 0700 directory: ssh refuses looser ones). When the
 * block's end marker was deleted, the file as it was is copied to hostFileBackupPath first.
 */
export async function writeHostBlock(hostFile: string, block: HostBlock): Promise<{ backupFile?: string }> {
  await fs.mkdir(dirname(hostFile), { recursive: true, mode: 0o700 });
  const before = await readTextIfExists(hostFile);
  const after = upsertHostBlock(before, block);
  if (after === before) return {};
  let backupFile: string | undefined;
  if (before !== undefined && locateBlock(before.match(/[^\n]*\n|[^\n]+$/g) ?? [], block.alias)?.endMissing) {
    backupFile = hostFileBackupPath(hostFile);
    await writeFileAtomic(backupFile, before, 0o600);
  }
  await writeFileAtomic(hostFile, after, 0o600);
  return { backupFile };
}
