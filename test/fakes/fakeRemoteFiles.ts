import { readFile, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';

import { RemoteFileError, unavailable } from '../../src/core/files/fileErrors';
import { type FilesLocation, formatAuthority } from '../../src/core/files/location';
import { FileKind, type RemoteStat } from '../../src/core/files/remoteFiles';

type Node = { kind: 'file'; data: Buffer; mtime: number; mode: number } | { kind: 'folder'; mtime: number };

/**
 * An instance's files in memory, failing as RemoteFiles does (RemoteFileErrors whose messages name the path and
 * the instance). `down` makes every operation Unavailable, as a dropped connection would; `calls` records each.
 */
export class FakeRemoteFiles {
  readonly nodes = new Map<string, Node>([['/', { kind: 'folder', mtime: 1000 }]]);
  readonly calls: string[] = [];
  down = false;
  /** Paths whose writes are refused for permissions. */
  readonly readOnly = new Set<string>();
  /** Advances with every change, in milliseconds (SFTP's mtime is whole seconds). */
  clock = 1_700_000_000_000;

  constructor(
    readonly who = 'i-0123456789abcdef0 in us-east-1',
    readonly homePath = '/home/ec2-user',
  ) {
    this.mkdirs(homePath);
  }

  /** Makes a file (and its folders) as someone on the instance would. */
  put(path: string, text: string, mode = 0o644): void {
    this.mkdirs(posix.dirname(path));
    this.clock += 1000;
    this.nodes.set(path, { kind: 'file', data: Buffer.from(text), mtime: this.clock, mode });
  }

  mkdirs(path: string): void {
    let at = '/';
    for (const part of path.split('/').filter(Boolean)) {
      at = posix.join(at, part);
      if (!this.nodes.has(at)) this.nodes.set(at, { kind: 'folder', mtime: this.clock });
    }
  }

  remove(path: string): void {
    for (const key of [...this.nodes.keys()]) if (key === path || key.startsWith(`${path}/`)) this.nodes.delete(key);
  }

  text(path: string): string | undefined {
    const node = this.nodes.get(path);
    return node?.kind === 'file' ? node.data.toString('utf8') : undefined;
  }

  async home(): Promise<string> {
    this.call('home', '~');
    return this.homePath;
  }

  async stat(path: string): Promise<RemoteStat> {
    const node = this.need(this.call('stat', path));
    const size = node.kind === 'file' ? node.data.length : 4096;
    return { type: node.kind === 'file' ? FileKind.File : FileKind.Directory, size, mtime: node.mtime, ctime: node.mtime, mode: node.kind === 'file' ? node.mode : 0o755, uid: 1000, gid: 1000 };
  }

  async readDirectory(path: string): Promise<[string, number][]> {
    const node = this.need(this.call('readDirectory', path));
    if (node.kind !== 'folder') throw new RemoteFileError('FileNotADirectory', `${path} on ${this.who} is not a folder.`, path);
    const prefix = path === '/' ? '/' : `${path}/`;
    return [...this.nodes.entries()]
      .filter(([key]) => key !== path && key.startsWith(prefix) && !key.slice(prefix.length).includes('/'))
      .map(([key, child]) => [key.slice(prefix.length), child.kind === 'file' ? FileKind.File : FileKind.Directory]);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const node = this.need(this.call('readFile', path));
    if (node.kind !== 'file') throw new RemoteFileError('FileIsADirectory', `${path} on ${this.who} is a folder.`, path);
    return node.data;
  }

  async writeFile(path: string, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    this.call('writeFile', path);
    const existing = this.nodes.get(path);
    if (this.readOnly.has(path)) throw new RemoteFileError('NoPermissions', `${path} on ${this.who}: permission denied.`, path);
    if (existing?.kind === 'folder') throw new RemoteFileError('FileIsADirectory', `${path} on ${this.who} is a folder.`, path);
    if (existing && !options.overwrite) throw new RemoteFileError('FileExists', `${path} already exists on ${this.who}.`, path);
    if (!existing && !options.create) throw new RemoteFileError('FileNotFound', `${path} does not exist on ${this.who}.`, path);
    this.need(posix.dirname(path));
    this.clock += 1000;
    this.nodes.set(path, { kind: 'file', data: Buffer.from(content), mtime: this.clock, mode: existing?.kind === 'file' ? existing.mode : 0o644 });
  }

  async createDirectory(path: string): Promise<void> {
    this.call('createDirectory', path);
    if (this.nodes.has(path)) throw new RemoteFileError('FileExists', `${path} already exists on ${this.who}.`, path);
    this.need(posix.dirname(path));
    this.nodes.set(path, { kind: 'folder', mtime: this.clock });
  }

  async rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    this.call('rename', from);
    if (this.nodes.has(to) && !options.overwrite) throw new RemoteFileError('FileExists', `${to} already exists on ${this.who}.`, to);
    this.need(from);
    for (const [key, node] of [...this.nodes.entries()]) {
      if (key === from || key.startsWith(`${from}/`)) {
        this.nodes.delete(key);
        this.nodes.set(to + key.slice(from.length), node);
      }
    }
  }

  async delete(path: string, options: { recursive: boolean }): Promise<void> {
    this.call('delete', path);
    const node = this.need(path);
    const hasChildren = [...this.nodes.keys()].some((key) => key.startsWith(`${path}/`));
    if (node.kind === 'folder' && hasChildren && !options.recursive) throw new RemoteFileError('NoPermissions', `${path} on ${this.who} is a folder that is not empty.`, path);
    this.remove(path);
  }

  /** Writes the file's bytes to a local path (a folder is the caller's to make). */
  async download(path: string, localPath: string): Promise<void> {
    const data = (await this.readFile(path)) as Buffer;
    this.calls.push(`download ${path}`);
    await writeFile(localPath, data);
  }

  async upload(localPath: string, path: string, mode?: number): Promise<void> {
    this.call('upload', path);
    const data = await readFile(localPath);
    this.need(posix.dirname(path));
    this.clock += 1000;
    this.nodes.set(path, { kind: 'file', data, mtime: this.clock, mode: mode ?? 0o644 });
  }

  private call(name: string, path: string): string {
    this.calls.push(`${name} ${path}`);
    if (this.down) throw unavailable(path, this.who, 'the connection to the instance was lost');
    return path;
  }

  private need(path: string): Node {
    const node = this.nodes.get(path);
    if (!node) throw new RemoteFileError('FileNotFound', `${path} does not exist on ${this.who}.`, path);
    return node;
  }
}

/** InstanceFiles over FakeRemoteFiles: one per location, made on first use. */
export class FakeInstanceFiles {
  static last?: FakeInstanceFiles;
  readonly byAuthority = new Map<string, FakeRemoteFiles>();
  /** Made for each new location (a test can preload one with `files`). */
  make: (location: FilesLocation) => FakeRemoteFiles = (location) => new FakeRemoteFiles(`${location.instanceId} in ${location.region}`, `/home/${location.osUser}`);
  disposed = false;

  constructor(readonly deps: unknown) {
    FakeInstanceFiles.last = this;
  }

  at(location: FilesLocation): FakeRemoteFiles {
    const key = formatAuthority(location);
    let files = this.byAuthority.get(key);
    if (!files) {
      files = this.make(location);
      this.byAuthority.set(key, files);
    }
    return files;
  }

  dispose(): void {
    this.disposed = true;
  }
}
