import * as vscode from 'vscode';
import type { InputOptions, PickItem, PickOptions, Ui } from './ui';

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
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return task(controller.signal);
      },
    );
  },

  async openUntitled(content, language) {
    const document = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(document);
  },

  async copyToClipboard(text) {
    await vscode.env.clipboard.writeText(text);
  },

  async openExternal(url) {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  },

  async executeCommand(command, ...args) {
    return vscode.commands.executeCommand(command, ...args);
  },
};
