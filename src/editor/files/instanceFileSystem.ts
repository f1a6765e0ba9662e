import * as vscode from 'vscode';

import { isRemoteFileError } from '../../core/files/fileErrors';
import { filesScheme } from '../../core/files/location';
import type { FileChange, Services } from '../services/services';
import type { UriParts } from '../services/ui';
import { FileOperations } from './fileOperations';

/** True while a workspace folder is an instance's: the palette then offers the commands that act on one. */
export const instanceFolderOpenKey = 'ec2InstanceConnect.instanceFolderOpen';

/** FileKind's bits are vscode.FileType's (a unit test holds them to @types/vscode); others are dropped. */
const knownTypeBits = vscode.FileType.File | vscode.FileType.Directory | vscode.FileType.SymbolicLink;

const changeTypes: Record<FileChange['type'], vscode.FileChangeType> = {
  created: vscode.FileChangeType.Created,
  changed: vscode.FileChangeType.Changed,
  deleted: vscode.FileChangeType.Deleted,
};

/**
 * The files of instances as a vscode.FileSystemProvider (scheme `ec2-instance`): FileOperations does the work;
 * this converts URIs, types and errors (RemoteFileError kinds are FileSystemError's), and tells the poller when
 * the window gains or loses focus and which of its files are open in editors.
 */
export class InstanceFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly operations: FileOperations) {
    const unsubscribe = operations.onDidChange((changes) => this.changes.fire(changes.map((c) => ({ type: changeTypes[c.type], uri: vscode.Uri.from(c.uri) }))));
    operations.poller.setFocused(vscode.window.state.focused);
    this.subscriptions = [
      this.changes,
      { dispose: unsubscribe },
      vscode.window.onDidChangeWindowState((state) => operations.poller.setFocused(state.focused)),
      vscode.window.tabGroups.onDidChangeTabs(() => this.updateOpenFiles()),
    ];
    this.updateOpenFiles();
  }

  watch(uri: vscode.Uri, options: { readonly recursive: boolean }): vscode.Disposable {
    return new vscode.Disposable(this.operations.watch(parts(uri), { recursive: options.recursive }));
  }

  stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.call(async () => {
      const stat = await this.operations.stat(parts(uri));
      return { type: stat.type & knownTypeBits, ctime: stat.ctime, mtime: stat.mtime, size: stat.size };
    });
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.call(async () => (await this.operations.readDirectory(parts(uri))).map(([name, kind]): [string, vscode.FileType] => [name, kind & knownTypeBits]));
  }

  createDirectory(uri: vscode.Uri): Promise<void> {
    return this.call(() => this.operations.createDirectory(parts(uri)));
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.call(() => this.operations.readFile(parts(uri)));
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    return this.call(() => this.operations.writeFile(parts(uri), content, { create: options.create, overwrite: options.overwrite }));
  }

  delete(uri: vscode.Uri, options: { readonly recursive: boolean }): Promise<void> {
    return this.call(() => this.operations.delete(parts(uri), { recursive: options.recursive }));
  }

  rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    return this.call(() => this.operations.rename(parts(oldUri), parts(newUri), { overwrite: options.overwrite }));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** The files of instances open in editor tabs (a text editor, either side of a diff). */
  private updateOpenFiles(): void {
    const open: UriParts[] = [];
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const input = tab.input;
        const uris = input instanceof vscode.TabInputText ? [input.uri] : input instanceof vscode.TabInputTextDiff ? [input.original, input.modified] : [];
        for (const uri of uris) if (uri.scheme === filesScheme) open.push(parts(uri));
      }
    }
    this.operations.poller.setOpenFiles(open);
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      throw fileSystemError(err);
    }
  }
}

function parts(uri: vscode.Uri): UriParts {
  return { scheme: uri.scheme, authority: uri.authority, path: uri.path };
}

/** A RemoteFileError as the FileSystemError of its kind, with its message (which names the path and the instance). */
function fileSystemError(err: unknown): vscode.FileSystemError {
  if (isRemoteFileError(err)) return vscode.FileSystemError[err.kind](err.message);
  return vscode.FileSystemError.Unavailable(err instanceof Error ? err.message : String(err));
}

/**
 * Registers the file system at activation, light: the core (SFTP, the SDK) loads on the first file operation.
 * Also keeps the context key that says whether a workspace folder is an instance's. `onWriteDenied`: a save the
 * instance refused for permissions (offerSaveAsRoot, passed in so that it loads with the commands, not here).
 */
export function registerInstanceFileSystem(services: Services, onWriteDenied: (uri: UriParts) => void): vscode.Disposable {
  const operations = new FileOperations({
    filesAt: (location) => services.files().at(location),
    pollIntervalSeconds: () => services.fileSettings().pollIntervalSeconds,
    log: services.log,
    onWriteDenied,
  });
  services.fileSystem = operations;
  const provider = new InstanceFileSystem(operations);
  const updateContext = () =>
    void vscode.commands.executeCommand('setContext', instanceFolderOpenKey, (vscode.workspace.workspaceFolders ?? []).some((folder) => folder.uri.scheme === filesScheme));
  updateContext();
  return vscode.Disposable.from(
    vscode.workspace.registerFileSystemProvider(filesScheme, provider, { isCaseSensitive: true }),
    vscode.workspace.onDidChangeWorkspaceFolders(updateContext),
    provider,
    { dispose: () => operations.dispose() },
  );
}
