import { posix } from 'node:path';

import type { Attributes, FileEntryWithStats, SFTPWrapper } from 'ssh2';

import { fileFailure, isRemoteFileError, RemoteFileError } from './fileErrors';
import type { FileSession } from './fileSession';
import { closeFile, download, openFile, readWhole, upload, writeWhole } from './transfer';

/** As VS Code's FileType: a bit field (a symbolic link to a directory is SymbolicLink | Directory). */
export const FileKind = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 } as const;

export interface RemoteStat {
  /** FileKind bits. */
  type: number;
  size: number;
  /** Milliseconds since the epoch. SFTP v3 has no creation time: ctime is the modification time. */
  mtime: number;
  ctime: number;
  /** The permission bits (0o644). */
  mode: number;
  uid: number;
  gid: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function kindOf(mode: number): number {
  const format = mode & S_IFMT;
  if (format === S_IFDIR) return FileKind.Directory;
  if (format === S_IFREG) return FileKind.File;
  if (format === S_IFLNK) return FileKind.SymbolicLink;
  return FileKind.Unknown;
}

function statOf(attrs: Attributes, type = kindOf(attrs.mode)): RemoteStat {
  return { type, size: attrs.size, mtime: attrs.mtime * 1000, ctime: attrs.mtime * 1000, mode: attrs.mode & 0o7777, uid: attrs.uid, gid: attrs.gid };
}

function call<T>(start: (callback: (err: Error | undefined | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}

const done = (cb: (err: Error | undefined | null, value: undefined) => void) => (err?: Error | null) => cb(err, undefined);

/**
 * An instance's files over SFTP, in VS Code's FileSystemProvider terms but without the editor: paths are
 * absolute POSIX paths on the instance, failures are RemoteFileErrors that name the path and the instance.
 */
export class RemoteFiles {
  constructor(
    private readonly session: FileSession,
    /** How messages name the instance. */
    readonly who: string,
  ) {}

  /** The login user's home directory (SFTP's starting directory). */
  home(): Promise<string> {
    return this.op('~', (sftp) => call<string>((cb) => sftp.realpath('.', cb)));
  }

  /** A path resolved on the instance (`..`, symbolic links). */
  realpath(path: string): Promise<string> {
    return this.op(path, (sftp) => call<string>((cb) => sftp.realpath(path, cb)));
  }

  async stat(path: string): Promise<RemoteStat> {
    return this.op(path, (sftp) => this.statWith(sftp, path));
  }

  /** Entries with their kinds; a symbolic link is followed to tell a linked folder from a linked file. */
  async readDirectory(path: string): Promise<[string, number][]> {
    return this.op(path, async (sftp) => {
      const entries = await call<FileEntryWithStats[]>((cb) => sftp.readdir(path, cb));
      const named = entries.filter((entry) => entry.filename !== '.' && entry.filename !== '..');
      return Promise.all(
        named.map(async (entry): Promise<[string, number]> => {
          const kind = kindOf(entry.attrs.mode);
          if (kind !== FileKind.SymbolicLink) return [entry.filename, kind];
          const target = await call<Attributes>((cb) => sftp.stat(posix.join(path, entry.filename), cb)).catch(() => undefined);
          return [entry.filename, FileKind.SymbolicLink | (target ? kindOf(target.mode) : FileKind.Unknown)];
        }),
      );
    });
  }

  async readFile(path: string): Promise<Uint8Array> {
    return this.op(path, async (sftp) => {
      const attrs = await call<Attributes>((cb) => sftp.stat(path, cb));
      if (kindOf(attrs.mode) === FileKind.Directory) throw new RemoteFileError('FileIsADirectory', `${path} on ${this.who} is a folder.`, path);
      const handle = await openFile(sftp, path, 'r');
      try {
        return await readWhole(sftp, handle, attrs.size);
      } finally {
        await closeFile(sftp, handle).catch(() => undefined);
      }
    });
  }

  /**
   * Writes a file as VS Code asks (`create`, `overwrite`). Replacing a file is atomic: the text goes to a
   * temporary file beside it, which takes the file's mode and is then renamed over it (posix-rename), so a
   * drop mid-save leaves the old file whole. Where that would change the file's owner (a file of another user
   * that this one may write) or the folder does not allow new files, the file is written in place instead.
   */
  async writeFile(path: string, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    return this.op(path, async (sftp) => {
      const existing = await this.statWith(sftp, path).catch((err: unknown) => {
        if (isRemoteFileError(err, 'FileNotFound')) return undefined;
        throw err;
      });
      if (existing && existing.type & FileKind.Directory) throw new RemoteFileError('FileIsADirectory', `${path} on ${this.who} is a folder.`, path);
      if (existing && !options.overwrite) throw new RemoteFileError('FileExists', `${path} already exists on ${this.who}.`, path);
      if (!existing && !options.create) throw new RemoteFileError('FileNotFound', `${path} does not exist on ${this.who}.`, path);
      if (!existing) {
        await this.parentMustExist(sftp, path);
        return this.writeTo(sftp, path, 'wx', content);
      }
      if (await this.replaceAtomically(sftp, path, content, existing)) return;
      await this.writeTo(sftp, path, 'w', content);
      // OpenSSH's sftp-server says PERMISSION_DENIED for EACCES and EPERM, and FAILURE for every other errno
      // (a full disk, a read-only file system, a quota): not a permission problem, so not Save as Root's to solve.
    }, { kind: 'Unavailable', why: 'could not be written: the instance refused the write without saying why (a full disk, a read-only file system or a quota can do this).' });
  }

  async createDirectory(path: string): Promise<void> {
    return this.op(path, async (sftp) => {
      try {
        await call((cb) => sftp.mkdir(path, done(cb)));
      } catch (err) {
        // SFTP v3 says FAILURE for an existing path: look.
        if (await this.exists(sftp, path)) throw new RemoteFileError('FileExists', `${path} already exists on ${this.who}.`, path);
        await this.parentMustExist(sftp, path);
        throw err;
      }
    });
  }

  async rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    return this.op(from, async (sftp) => {
      const target = await this.exists(sftp, to);
      if (target && !options.overwrite) throw new RemoteFileError('FileExists', `${to} already exists on ${this.who}.`, to);
      if (!(await this.exists(sftp, from))) throw new RemoteFileError('FileNotFound', `${from} does not exist on ${this.who}.`, from);
      // posix-rename@openssh.com replaces the target atomically; SFTP v3's rename refuses an existing one.
      if (target) await call((cb) => sftp.ext_openssh_rename(from, to, done(cb)));
      else await call((cb) => sftp.rename(from, to, done(cb)));
    });
  }

  async delete(path: string, options: { recursive: boolean }): Promise<void> {
    return this.op(path, async (sftp) => {
      const attrs = await call<Attributes>((cb) => sftp.lstat(path, cb));
      if (kindOf(attrs.mode) !== FileKind.Directory) return call((cb) => sftp.unlink(path, done(cb)));
      if (options.recursive) return this.deleteTree(sftp, path);
      try {
        await call((cb) => sftp.rmdir(path, done(cb)));
      } catch (err) {
        if ((err as { code?: number }).code === 4) throw new RemoteFileError('NoPermissions', `${path} on ${this.who} is a folder that is not empty.`, path);
        throw err;
      }
    });
  }

  /** A remote file to a local one, streamed. */
  async download(path: string, localPath: string): Promise<void> {
    return this.op(path, (sftp) => download(sftp, path, localPath));
  }

  /** A local file to a remote one, streamed; the remote file gets `mode` when given. */
  async upload(localPath: string, path: string, mode?: number): Promise<void> {
    return this.op(path, (sftp) => upload(sftp, localPath, path, mode));
  }

  private op<T>(path: string, operation: (sftp: SFTPWrapper) => Promise<T>, failure?: { kind: RemoteFileError['kind']; why: string }): Promise<T> {
    return this.session.use(path, (sftp) => operation(sftp)).catch((err: unknown) => {
      throw fileFailure(err, path, this.who, failure);
    });
  }

  private async statWith(sftp: SFTPWrapper, path: string): Promise<RemoteStat> {
    const attrs = await call<Attributes>((cb) => sftp.lstat(path, cb)).catch((err: unknown) => {
      throw fileFailure(err, path, this.who);
    });
    if (kindOf(attrs.mode) !== FileKind.SymbolicLink) return statOf(attrs);
    const target = await call<Attributes>((cb) => sftp.stat(path, cb)).catch(() => undefined);
    return target ? statOf(target, FileKind.SymbolicLink | kindOf(target.mode)) : statOf(attrs, FileKind.SymbolicLink);
  }

  private async exists(sftp: SFTPWrapper, path: string): Promise<boolean> {
    return call<Attributes>((cb) => sftp.lstat(path, cb)).then(
      () => true,
      (err: unknown) => {
        if ((err as { code?: number }).code === 2) return false;
        throw err;
      },
    );
  }

  private async parentMustExist(sftp: SFTPWrapper, path: string): Promise<void> {
    const parent = posix.dirname(path);
    if (!(await this.exists(sftp, parent))) throw new RemoteFileError('FileNotFound', `${parent} does not exist on ${this.who}.`, parent);
  }

  private async writeTo(sftp: SFTPWrapper, path: string, flags: 'wx' | 'w', content: Uint8Array): Promise<void> {
    const handle = await openFile(sftp, path, flags);
    try {
      await writeWhole(sftp, handle, content);
    } finally {
      await closeFile(sftp, handle).catch(() => undefined);
    }
  }

  /** Whether it replaced the file through a temporary one; false when that is not possible (see writeFile). */
  private async replaceAtomically(sftp: SFTPWrapper, path: string, content: Uint8Array, existing: RemoteStat): Promise<boolean> {
    if (existing.type & FileKind.SymbolicLink) return false; // replacing would turn the link into a file
    const temporary = posix.join(posix.dirname(path), `.${posix.basename(path)}.ec2ic-${Math.random().toString(36).slice(2, 10)}`);
    let handle: Buffer;
    try {
      handle = await openFile(sftp, temporary, 'wx', existing.mode);
    } catch {
      return false; // a folder that does not allow new files
    }
    let renamed = false;
    try {
      const created = await call<Attributes>((cb) => sftp.fstat(handle, cb));
      if (created.uid !== existing.uid || created.gid !== existing.gid) return false;
      await writeWhole(sftp, handle, content);
      // The umask may have taken bits away from the mode asked for at open.
      await call((cb) => sftp.fchmod(handle, existing.mode, done(cb)));
      await closeFile(sftp, handle);
      await call((cb) => sftp.ext_openssh_rename(temporary, path, done(cb)));
      renamed = true;
      return true;
    } finally {
      if (!renamed) {
        await closeFile(sftp, handle).catch(() => undefined);
        await call((cb) => sftp.unlink(temporary, done(cb))).catch(() => undefined);
      }
    }
  }

  private async deleteTree(sftp: SFTPWrapper, path: string): Promise<void> {
    const entries = await call<FileEntryWithStats[]>((cb) => sftp.readdir(path, cb));
    for (const entry of entries) {
      if (entry.filename === '.' || entry.filename === '..') continue;
      const child = posix.join(path, entry.filename);
      if (kindOf(entry.attrs.mode) === FileKind.Directory) await this.deleteTree(sftp, child);
      else await call((cb) => sftp.unlink(child, done(cb)));
    }
    await call((cb) => sftp.rmdir(path, done(cb)));
  }
}
