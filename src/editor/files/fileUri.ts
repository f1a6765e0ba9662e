import { posix } from 'node:path';

import { instanceDescription } from '../../core/errors/activity';
import { RemoteFileError } from '../../core/files/fileErrors';
import { type FilesLocation, filesScheme, formatAuthority, parseAuthority } from '../../core/files/location';
import type { UriParts } from '../services/ui';

/**
 * The URIs of instances' files: `ec2-instance://ec2-user@i-0abc~us-east-1~dev/home/ec2-user`. The authority
 * says everything a connection needs (profile, region, instance, OS user), so a restored window reconnects
 * without asking; the path is the absolute path on the instance.
 */
export function instanceUri(location: FilesLocation, path: string): UriParts {
  return { scheme: filesScheme, authority: formatAuthority(location), path: remotePath(path) };
}

export function isInstanceUri(uri: unknown): uri is UriParts {
  const candidate = uri as Partial<UriParts> | undefined;
  return typeof candidate === 'object' && candidate !== null && candidate.scheme === filesScheme && typeof candidate.authority === 'string' && typeof candidate.path === 'string';
}

/** A normalized absolute POSIX path: `..` and doubled or trailing slashes resolved, `/` for the root. */
export function remotePath(path: string): string {
  const normalized = posix.normalize(`/${path}`);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** Where a URI's files are; an authority that is not one of ours is Unavailable, with how one reads. */
export function locationOf(uri: UriParts): FilesLocation {
  const location = parseAuthority(uri.authority);
  if (!location) {
    throw new RemoteFileError(
      'Unavailable',
      `${uriText(uri)} does not name an EC2 instance: the address of an instance's files reads user@i-…~region (or user@i-…~region~profile).`,
      uri.path,
    );
  }
  return location;
}

/** How messages name the instance of a location: "i-0abc… in us-east-1", as the core's file messages do. */
export function locationWho(location: FilesLocation): string {
  return instanceDescription({ instanceId: location.instanceId, region: location.region });
}

export function childUri(uri: UriParts, name: string): UriParts {
  return { ...uri, path: remotePath(posix.join(uri.path, name)) };
}

export function parentUri(uri: UriParts): UriParts {
  return { ...uri, path: posix.dirname(remotePath(uri.path)) };
}

/** One string per file: map keys, comparisons. */
export function uriKey(uri: UriParts): string {
  return `${uri.scheme}://${uri.authority}${remotePath(uri.path)}`;
}

/** Whether `uri` is `folder` or inside it. */
export function isWithin(uri: UriParts, folder: UriParts): boolean {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return false;
  const path = remotePath(uri.path);
  const root = remotePath(folder.path);
  return path === root || path.startsWith(root === '/' ? '/' : `${root}/`);
}

/** The URI as a user reads it. */
export function uriText(uri: UriParts): string {
  return `${uri.scheme}://${uri.authority}${uri.path}`;
}
