import type { PtySize } from '../../core/ssh/channel';
import type { CommandId, EditorCommandId } from './commandIds';

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

/** An item of a live pick. `acceptable: false` items only inform (a failed region, a malformed id): choosing one does nothing. */
export interface LivePickItem<T> extends PickItem<T> {
  acceptable?: boolean;
}

export interface LivePickOptions<T> extends PickOptions {
  /**
   * Fills the list while the pick is open: call `update` with the whole list each time it grows.
   * The pick shows as busy until this settles; `signal` aborts when the pick closes.
   */
  load(update: (items: LivePickItem<T>[]) => void, signal: AbortSignal): Promise<void>;
  /** An entry for what the user typed, shown first even when it matches no item (a pasted id, a hint). */
  typedItem?(text: string): LivePickItem<T> | undefined;
}

/** A URI by its parts (vscode.Uri.from takes them as they are): a file or folder of an instance, a workspace folder. */
export interface UriParts {
  scheme: string;
  authority: string;
  path: string;
}

/** A workspace folder: its URI and the name the explorer shows. */
export interface WorkspaceFolderEntry {
  uri: UriParts;
  name: string;
}

/** What a terminal's logic (src/terminal/terminalSession.ts) does to the editor's terminal. */
export interface TerminalOutput {
  write(text: string): void;
  /** Closes the terminal, with an exit code when there is one. */
  close(exitCode?: number): void;
}

/** What the editor's terminal tells its logic: the terminal opened, the user typed, resized or closed it. */
export interface TerminalInput {
  open(size: PtySize | undefined): void;
  input(data: string): void;
  resize(size: PtySize): void;
  close(): void;
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
  /** A pick whose items arrive while it is open, that can also accept typed text (matched on label, description and detail). */
  pickLive<T>(options: LivePickOptions<T>): Promise<T | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /**
   * Runs a task with a cancellable progress notification; the signal aborts when the user cancels.
   * `report` shows a line beside the title (a countdown, a step).
   */
  withProgress<R>(title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<R>): Promise<R>;
  openUntitled(content: string, language: string): Promise<void>;
  /** Opens a file from disk in an editor. */
  openFile(path: string): Promise<void>;
  /** Writes a user (global) setting, e.g. `ec2InstanceConnect.regions`. */
  updateSetting(key: string, value: unknown): Promise<void>;
  copyToClipboard(text: string): Promise<void>;
  openExternal(url: string): Promise<void>;
  /**
   * Opens a page this computer serves (`http://localhost:18080/`, a forwarded port) in a browser, as the editor
   * reaches it: code-server and remote windows turn localhost addresses into their own port proxy's. Resolves
   * to the address opened.
   */
  openInBrowser(url: string): Promise<string>;
  /** Runs one of this extension's commands, or one of the editor's that it uses: an id that exists in neither fails the type check. */
  executeCommand(command: CommandId | EditorCommandId, ...args: unknown[]): Promise<unknown>;
  /** The editor's name (vscode.env.appName): "Visual Studio Code", "VSCodium", "code-server", … */
  readonly appName: string;
  /** Whether an extension is installed. */
  hasExtension(id: string): boolean;
  /** Opens a folder given by its URI parts (a `vscode-remote://` one for Remote-SSH), in a new window or this one. */
  openFolder(folder: { scheme: string; authority: string; path: string }, newWindow: boolean): Promise<void>;
  /**
   * Opens and shows a terminal named `name` whose logic `create` builds around the terminal's output
   * (a vscode.Pseudoterminal in the editor). Connect and the serial console open theirs with it.
   */
  openTerminal(name: string, create: (output: TerminalOutput) => TerminalInput, options?: { iconId?: string }): void;
  /** The workspace folders, in order. */
  workspaceFolders(): WorkspaceFolderEntry[];
  /** Adds a folder at the end of the workspace; false when the editor refused (the same folder is there already). */
  addWorkspaceFolder(folder: WorkspaceFolderEntry): boolean;
  /** A path on this computer to save a file to (a save dialog), or undefined when dismissed. */
  chooseSaveFile(options: { title: string; defaultName: string }): Promise<string | undefined>;
  /** Paths on this computer (an open dialog): files, or one folder; undefined when dismissed. */
  chooseLocal(options: { title: string; openLabel: string; folder: boolean }): Promise<string[] | undefined>;
  /** Opens a document in an editor, with the cursor on `line` (1-based) when given. */
  openDocument(uri: UriParts, line?: number): Promise<void>;
  /** The active editor's document, if any. */
  activeDocument(): UriParts | undefined;
  /** The text of the open document with this URI; undefined when none is open. */
  documentText(uri: UriParts): string | undefined;
  /** Reverts the open document with this URI to what its file holds now: it is no longer dirty. */
  revertDocument(uri: UriParts): Promise<void>;
}
