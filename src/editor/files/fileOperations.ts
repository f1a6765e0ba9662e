import type { Logger } from '../../core/base/log';
import { isRemoteFileError } from '../../core/files/fileErrors';
import type { FilesLocation } from '../../core/files/location';
import type { RemoteFiles, RemoteStat } from '../../core/files/remoteFiles';
import type { FileChange } from '../services/services';
import type { UriParts } from '../services/ui';
import { type AppliedChange, ChangePoller } from './changePoller';
import { asFileError } from './fileSystemErrors';
import { locationOf, locationWho, remotePath } from './fileUri';

/** The part of RemoteFiles the file system uses (a fake in unit tests). */
export type InstanceRemoteFiles = Pick<RemoteFiles, 'who' | 'stat' | 'readDirectory' | 'readFile' | 'writeFile' | 'createDirectory' | 'rename' | 'delete'>;

export interface FileOperationsOptions {
  /** The files at a location: services.files().at(location), which loads the core on the first operation. */
  filesAt(location: FilesLocation): InstanceRemoteFiles;
  pollIntervalSeconds(): number;
  log: Logger;
  /** A save the instance refused for permissions (the editor offers Save as Root… when sudo works). */
  onWriteDenied?(uri: UriParts): void;
}

const fileKind = 1;
const directoryKind = 2;

/**
 * The FileSystemProvider's logic without the editor: URIs to an instance's RemoteFiles, every failure a
 * RemoteFileError naming the path and the instance (its kind the FileSystemError it becomes), the changes it
 * makes reported at once, and those made on the instance found by the ChangePoller.
 */
export class FileOperations {
  readonly poller: ChangePoller;
  private readonly listeners = new Set<(changes: FileChange[]) => void>();

  constructor(private readonly options: FileOperationsOptions) {
    this.poller = new ChangePoller({
      files: { stat: (uri) => this.run(uri, (remote, path) => remote.stat(path)), readDirectory: (uri) => this.run(uri, (remote, path) => remote.readDirectory(path)) },
      intervalSeconds: options.pollIntervalSeconds,
      fire: (changes) => this.fire(changes),
      log: options.log,
    });
  }

  onDidChange(listener: (changes: FileChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stat(uri: UriParts): Promise<RemoteStat> {
    return this.run(uri, (remote, path) => remote.stat(path));
  }

  async readDirectory(uri: UriParts): Promise<[string, number][]> {
    const entries = await this.run(uri, (remote, path) => remote.readDirectory(path));
    this.poller.listed(uri, entries);
    return entries;
  }

  readFile(uri: UriParts): Promise<Uint8Array> {
    return this.run(uri, (remote, path) => remote.readFile(path));
  }

  async writeFile(uri: UriParts, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    let existed = true;
    try {
      await this.run(uri, async (remote, path) => {
        // Whether the explorer gets a new file or a changed one (VS Code's saves always allow creating).
        if (options.create) existed = await remote.stat(path).then(
          () => true,
          (err: unknown) => {
            if (isRemoteFileError(err, 'FileNotFound')) return false;
            throw err;
          },
        );
        await remote.writeFile(path, content, options);
      });
    } catch (err) {
      if (isRemoteFileError(err, 'NoPermissions')) this.options.onWriteDenied?.(uri);
      throw err;
    }
    this.didChange([{ type: existed ? 'changed' : 'created', uri, kind: fileKind }]);
  }

  async createDirectory(uri: UriParts): Promise<void> {
    await this.run(uri, (remote, path) => remote.createDirectory(path));
    this.didChange([{ type: 'created', uri, kind: directoryKind }]);
  }

  async delete(uri: UriParts, options: { recursive: boolean }): Promise<void> {
    await this.run(uri, (remote, path) => remote.delete(path, options));
    this.didChange([{ type: 'deleted', uri }]);
  }

  async rename(from: UriParts, to: UriParts, options: { overwrite: boolean }): Promise<void> {
    if (from.authority !== to.authority) {
      // Never the case through the explorer: VS Code copies and deletes across file systems itself.
      throw asFileError(new Error(`${remotePath(to.path)} is on another instance or user than ${remotePath(from.path)}`), remotePath(from.path), locationWho(locationOf(from)));
    }
    const kind = await this.stat(from).then(
      (stat) => (stat.type & directoryKind ? directoryKind : fileKind),
      () => fileKind,
    );
    await this.run(from, (remote, path) => remote.rename(path, remotePath(to.path), options));
    this.didChange([
      { type: 'deleted', uri: from },
      { type: 'created', uri: to, kind },
    ]);
  }

  watch(uri: UriParts, options: { recursive: boolean }): () => void {
    return this.poller.watch(uri, options.recursive);
  }

  /** Changes made by a command (an upload, a save as root): reported, and the poller told. */
  didChange(changes: AppliedChange[]): void {
    this.poller.applied(changes);
    this.fire(changes.map(({ type, uri }) => ({ type, uri })));
  }

  dispose(): void {
    this.poller.dispose();
    this.listeners.clear();
  }

  private fire(changes: FileChange[]): void {
    for (const listener of [...this.listeners]) listener(changes);
  }

  /** One operation on the URI's instance; whatever it throws is a RemoteFileError that names the path and the instance. */
  private async run<T>(uri: UriParts, operation: (remote: InstanceRemoteFiles, path: string) => Promise<T>): Promise<T> {
    const path = remotePath(uri.path);
    const location = locationOf(uri);
    try {
      return await operation(this.options.filesAt(location), path);
    } catch (err) {
      throw asFileError(err, path, locationWho(location));
    }
  }
}
