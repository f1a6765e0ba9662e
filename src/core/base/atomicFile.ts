import { randomBytes } from 'node:crypto';
import { constants, promises as fs, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The file's text, or undefined when there is no such file. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Why a file was not written, in plain words that name the file: thrown by this module instead of a bare
 * errno, with that errno as `code` (when there was one). The layers above turn it into their own failure.
 */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';

  constructor(
    readonly reason: 'readOnly' | 'owner' | 'folderNotWritable' | 'danglingLink',
    /** The file that was to be written. */
    readonly path: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function isFileWriteError(err: unknown): err is FileWriteError {
  return err instanceof Error && err.name === 'FileWriteError' && typeof (err as Partial<FileWriteError>).reason === 'string';
}

/**
 * The file a path really names: a symlinked ~/.ssh/config (dotfile managers do that) is edited where it
 * lives, so that the rename below replaces the target and not the link. A link whose target does not exist
 * yet names that target (it is created there) when the target's folder exists; otherwise the link is refused
 * rather than replaced by a regular file.
 */
export async function resolveSymlinks(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const stats = await fs.lstat(current).catch(() => undefined);
    if (!stats?.isSymbolicLink()) break;
    current = resolve(dirname(current), await fs.readlink(current));
  }
  if (current === resolve(path)) return path;
  const folder = dirname(current);
  const folderExists = await fs
    .stat(folder)
    .then((s) => s.isDirectory())
    .catch(() => false);
  if (!folderExists) {
    throw new FileWriteError(
      'danglingLink',
      path,
      `${path} is a symbolic link to ${current}, which does not exist, and neither does its folder ${folder}, so nothing was written. ` +
        'Restore the link target (or remove the link), then try again.',
    );
  }
  // The target's own folder may hold links too: the write happens where they lead.
  return join(await fs.realpath(folder), basename(current));
}

/**
 * Whether `path` may be written by replacing it (throws FileWriteError if not): its folder must be writable; a file its
 * owner made read-only stays as it is, and a file owned by someone else is replaced only when the new one
 * can be given the same owner (only root can), never silently handed over to the writer.
 */
export async function checkReplaceable(path: string): Promise<Stats | undefined> {
  const stats = await fs.stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  // The rename needs the folder: said for the file, before any temporary file or backup is tried.
  await fs.access(dirname(path), constants.W_OK).catch((err: NodeJS.ErrnoException) => {
    // A folder that does not exist yet is created by the caller.
    if (err.code !== 'ENOENT') throw folderFailure(err, path);
  });
  if (!stats) return undefined;
  if ((stats.mode & 0o200) === 0 && process.platform !== 'win32') {
    throw new FileWriteError(
      'readOnly',
      path,
      `${path} is read-only (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}), so it was not changed. ` +
        `If it may be changed, make it writable (chmod u+w "${path}") and try again.`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && stats.uid !== uid) {
    throw new FileWriteError(
      'owner',
      path,
      `${path} belongs to another user (uid ${stats.uid}), so it was not changed: a file written in its place would belong to you instead. ` +
        `Make it yours (sudo chown ${uid} "${path}") or change it as its owner.`,
    );
  }
  return stats;
}

/**
 * Writes a file so that readers see either the old or the new content, never half of it: a temporary
 * file beside it, then a rename over it. The temporary file is created with `mode` (readable only by the
 * user for ssh files) so the content is never exposed with looser permissions, even for a moment. An
 * existing file keeps its owner and group, and is refused when it is read-only or cannot keep its owner
 * (see checkReplaceable). Failures are FileWriteErrors naming the file and the folder.
 */
export async function writeFileAtomic(path: string, content: string | Buffer, mode: number): Promise<void> {
  const existing = await checkReplaceable(path);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, content, { mode, flag: 'wx' });
    // writeFile's mode is filtered by the umask; set it exactly.
    await fs.chmod(temp, mode);
    if (existing) await keepOwner(temp, path, existing);
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw folderFailure(err, path);
  }
}

/** The new file gets the old one's owner and group (root editing a user's file, a file of a shared group). */
async function keepOwner(temp: string, path: string, existing: Stats): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined || (existing.uid === uid && existing.gid === process.getgid?.())) return;
  try {
    await fs.chown(temp, existing.uid, existing.gid);
  } catch (err) {
    // The user's own file in a group they are not in: it stays theirs, in their group.
    if (existing.uid === uid) return;
    throw new FileWriteError(
      'owner',
      path,
      `${path} belongs to another user (uid ${existing.uid}) and the new file could not be given to them, so it was not changed.`,
      (err as NodeJS.ErrnoException).code,
    );
  }
}

/** A permission failure in the folder (the temporary file, the rename) said as one, naming both. */
function folderFailure(err: unknown, path: string): unknown {
  if (isFileWriteError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') return err;
  const folder = dirname(path);
  const why = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable by you';
  return new FileWriteError(
    'folderNotWritable',
    path,
    `Could not write ${path}: its folder ${folder} ${why} (${code}), so nothing was changed. Check the folder's owner and permissions (ls -ld "${folder}").`,
    code,
  );
}

/** The permission bits of an existing file, or undefined when it does not exist. */
export async function modeOf(path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
