/**
 * The editor's UI behind a small interface, so commands are tested without an editor
 * (the seam vscode-kubernetes-tools calls its host). src/vscodeUi.ts is the real one.
 */
export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
  value: T;
}

export interface PickOptions {
  title?: string;
  placeholder?: string;
}

export interface InputOptions {
  title?: string;
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Returns a message when the text is not acceptable. */
  validate?: (text: string) => string | undefined;
}

export interface Ui {
  /** A notification; resolves to the title of the action chosen, if any. */
  showMessage(
    severity: 'info' | 'warning' | 'error',
    message: string,
    actions?: string[],
    options?: { modal?: boolean; detail?: string },
  ): Promise<string | undefined>;
  pick<T>(items: PickItem<T>[], options?: PickOptions): Promise<T | undefined>;
  pickMany<T>(items: PickItem<T>[], options?: PickOptions): Promise<T[] | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** Runs a task with a cancellable progress notification; the signal aborts when the user cancels. */
  withProgress<R>(title: string, task: (signal: AbortSignal) => Promise<R>): Promise<R>;
  openUntitled(content: string, language: string): Promise<void>;
  copyToClipboard(text: string): Promise<void>;
  openExternal(url: string): Promise<void>;
  executeCommand(command: string, ...args: unknown[]): Promise<unknown>;
}
