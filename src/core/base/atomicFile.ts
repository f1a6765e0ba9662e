import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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
 * The file a path really names: a symlinked ~/.ssh/config (dotfile managers do that) is edited where it
 * lives, so that the rename below replaces the target and not the link.
 */
export async function resolveSymlinks(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw err;
  }
}

/**
 * Writes a file so that readers see either the old or the new content, never half of it: a temporary
 * file beside it, then a rename over it. The temporary file is created with `mode` (readable only by the
 * user for ssh files) so the content is never exposed with looser permissions, even for a moment.
 */
export async function writeFileAtomic(path: string, content: string | Buffer, mode: number): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, content, { mode, flag: 'wx' });
    // writeFile's mode is filtered by the umask; set it exactly.
    await fs.chmod(temp, mode);
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
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
