import { homedir } from 'node:os';
import { join } from 'node:path';

import * as vscode from 'vscode';

import type { InputOptions, LivePickItem, LivePickOptions, PickItem, PickOptions, Ui, UriParts } from '../services/ui';
import { openPseudoterminal } from './pseudoterminal';

type PickWithValue<T> = vscode.QuickPickItem & { value: T };

function toQuickPickItems<T>(items: PickItem<T>[]): PickWithValue<T>[] {
  return items.map((item) => ({
    label: item.label,
    description: item.description,
    detail: item.detail,
    picked: item.picked,
    value: item.value,
  }));
}

export const vscodeUi: Ui = {
  async showMessage(severity, message, actions = [], options = {}) {
    const show = {
      info: vscode.window.showInformationMessage,
      warning: vscode.window.showWarningMessage,
      error: vscode.window.showErrorMessage,
    }[severity];
    return show(message, { modal: options.modal, detail: options.detail }, ...actions);
  },

  async pick<T>(items: PickItem<T>[], options: PickOptions = {}) {
    const chosen = await vscode.window.showQuickPick(toQuickPickItems(items), {
      title: options.title,
      placeHolder: options.placeholder,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return chosen?.value;
  },

  async pickMany<T>(items: PickItem<T>[], options: PickOptions = {}) {
    const chosen = await vscode.window.showQuickPick(toQuickPickItems(items), {
      title: options.title,
      placeHolder: options.placeholder,
      canPickMany: true,
      matchOnDescription: true,
    });
    return chosen?.map((item) => item.value);
  },

  pickLive<T>(options: LivePickOptions<T>) {
    return new Promise<T | undefined>((resolve) => {
      type Item = vscode.QuickPickItem & { entry: LivePickItem<T> };
      const quickPick = vscode.window.createQuickPick<Item>();
      quickPick.title = options.title;
      quickPick.placeholder = options.placeholder;
      quickPick.matchOnDescription = true;
      quickPick.matchOnDetail = true;
      quickPick.busy = true;
      const controller = new AbortController();
      let loaded: LivePickItem<T>[] = [];
      const toItem = (entry: LivePickItem<T>, alwaysShow = false): Item => ({
        label: entry.label,
        description: entry.description,
        detail: entry.detail,
        alwaysShow,
        entry,
      });
      const render = () => {
        // Keep the highlighted entry highlighted while items stream in.
        const active = quickPick.activeItems[0]?.entry.value;
        const typed = options.typedItem?.(quickPick.value.trim());
        const items = [...(typed ? [toItem(typed, true)] : []), ...loaded.map((entry) => toItem(entry))];
        quickPick.items = items;
        const keep = items.find((item) => item.entry.value === active && active !== undefined);
        if (keep) quickPick.activeItems = [keep];
      };
      quickPick.onDidChangeValue(render);
      quickPick.onDidAccept(() => {
        const chosen = quickPick.activeItems[0]?.entry;
        if (!chosen || chosen.acceptable === false) return;
        resolve(chosen.value);
        quickPick.hide();
      });
      quickPick.onDidHide(() => {
        controller.abort();
        resolve(undefined);
        quickPick.dispose();
      });
      quickPick.show();
      options
        .load((items) => {
          loaded = items;
          render();
        }, controller.signal)
        .catch(() => undefined)
        .finally(() => {
          quickPick.busy = false;
        });
    });
  },

  async input(options: InputOptions) {
    return vscode.window.showInputBox({
      title: options.title,
      prompt: options.prompt,
      placeHolder: options.placeholder,
      value: options.value,
      password: options.password,
      ignoreFocusOut: true,
      validateInput: options.validate,
    });
  },

  async withProgress(title, task) {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return task(controller.signal, (message) => progress.report({ message }));
      },
    );
  },

  async openUntitled(content, language) {
    const document = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(document);
  },

  async openFile(path) {
    await vscode.window.showTextDocument(vscode.Uri.file(path));
  },

  async updateSetting(key, value) {
    await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
  },

  async copyToClipboard(text) {
    await vscode.env.clipboard.writeText(text);
  },

  async openExternal(url) {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  },

  async openInBrowser(url) {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
    await vscode.env.openExternal(external);
    return external.toString(true);
  },

  async executeCommand(command, ...args) {
    return vscode.commands.executeCommand(command, ...args);
  },

  get appName() {
    return vscode.env.appName;
  },

  hasExtension(id) {
    return vscode.extensions.getExtension(id) !== undefined;
  },

  async openFolder(folder, newWindow) {
    // Uri.from keeps the authority exactly as given (parsing a string could re-encode it).
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.from(folder), { forceNewWindow: newWindow });
  },

  openTerminal(name, create, options = {}) {
    openPseudoterminal(name, create, options.iconId);
  },

  workspaceFolders() {
    return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ uri: uriParts(folder.uri), name: folder.name }));
  },

  addWorkspaceFolder(folder) {
    const end = vscode.workspace.workspaceFolders?.length ?? 0;
    return vscode.workspace.updateWorkspaceFolders(end, 0, { uri: vscode.Uri.from(folder.uri), name: folder.name });
  },

  async chooseSaveFile({ title, defaultName }) {
    // A file: URI as the default keeps the dialog on this computer (it would otherwise start in the workspace's file system).
    const uri = await vscode.window.showSaveDialog({ title, defaultUri: vscode.Uri.file(join(homedir(), defaultName)) });
    return uri && localPath(uri);
  },

  async chooseLocal({ title, openLabel, folder }) {
    const uris = await vscode.window.showOpenDialog({
      title,
      openLabel,
      canSelectFiles: !folder,
      canSelectFolders: folder,
      canSelectMany: !folder,
      defaultUri: vscode.Uri.file(homedir()),
    });
    return uris?.map(localPath);
  },

  async openDocument(uri, line) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.from(uri));
    const at = line && line > 0 ? new vscode.Position(line - 1, 0) : undefined;
    await vscode.window.showTextDocument(document, at ? { selection: new vscode.Range(at, at) } : undefined);
  },

  activeDocument() {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri && uriParts(uri);
  },

  documentText(uri) {
    return openDocument(uri)?.getText();
  },

  async revertDocument(uri) {
    const document = openDocument(uri);
    if (!document) return;
    // Revert acts on the active editor.
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  },
};

function uriParts(uri: vscode.Uri): UriParts {
  return { scheme: uri.scheme, authority: uri.authority, path: uri.path };
}

function openDocument(uri: UriParts): vscode.TextDocument | undefined {
  const wanted = vscode.Uri.from(uri).toString();
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === wanted);
}

/** A path on this computer, from a dialog's answer (one on another file system is refused). */
function localPath(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)} is not on this computer: choose a file or folder on this computer`);
  return uri.fsPath;
}
