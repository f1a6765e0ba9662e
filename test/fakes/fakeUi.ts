import type { InputOptions, LivePickItem, LivePickOptions, PickItem, PickOptions, TerminalInput, TerminalOutput, Ui, UriParts, WorkspaceFolderEntry } from '../../src/editor/services/ui';

/** A terminal opened through the fake UI: what was written to it, whether it closed, and its logic to drive. */
export interface FakeTerminal {
  name: string;
  text: string;
  /** 'open' until closed; then the exit code (or undefined). */
  closedWith: number | undefined | 'open';
  logic: TerminalInput;
}

/**
 * A scripted UI: each question is answered by the next answer queued for its kind (undefined = the
 * user dismissed it). Everything shown is recorded for the test to read.
 */
export class FakeUi implements Ui {
  readonly messages: { severity: string; message: string; actions: string[]; modal: boolean }[] = [];
  readonly picks: { title?: string; labels: string[] }[] = [];
  readonly livePicks: { items: LivePickItem<unknown>[]; typed?: LivePickItem<unknown> }[] = [];
  readonly inputs: InputOptions[] = [];
  readonly executed: { command: string; args: unknown[] }[] = [];
  readonly clipboard: string[] = [];
  readonly opened: string[] = [];
  /** Answers to showMessage: the action title to click. */
  messageAnswers: (string | undefined)[] = [];
  /** Answers to pick/pickMany: choose by label. */
  pickAnswers: ((labels: string[]) => string | string[] | undefined)[] = [];
  /** Answers to pickLive: what the user types, or a label to choose once loading is done. */
  livePickAnswers: ({ type: string } | { choose: (label: string) => boolean } | undefined)[] = [];
  inputAnswers: (string | undefined)[] = [];

  async showMessage(severity: 'info' | 'warning' | 'error', message: string, actions: string[] = [], options: { modal?: boolean } = {}) {
    this.messages.push({ severity, message, actions, modal: !!options.modal });
    return this.messageAnswers.shift();
  }

  async pick<T>(items: PickItem<T>[], options: PickOptions = {}) {
    this.picks.push({ title: options.title, labels: items.map((i) => i.label) });
    const answer = this.pickAnswers.shift()?.(items.map((i) => i.label));
    return items.find((i) => i.label === answer)?.value;
  }

  async pickMany<T>(items: PickItem<T>[], options: PickOptions = {}) {
    this.picks.push({ title: options.title, labels: items.map((i) => i.label) });
    const answer = this.pickAnswers.shift()?.(items.map((i) => i.label));
    if (answer === undefined) return undefined;
    const chosen = Array.isArray(answer) ? answer : [answer];
    return items.filter((i) => chosen.includes(i.label)).map((i) => i.value);
  }

  async pickLive<T>(options: LivePickOptions<T>) {
    let items: LivePickItem<T>[] = [];
    await options.load((next) => (items = next), new AbortController().signal);
    const answer = this.livePickAnswers.shift();
    const record: { items: LivePickItem<unknown>[]; typed?: LivePickItem<unknown> } = { items };
    this.livePicks.push(record);
    if (!answer) return undefined;
    if ('type' in answer) {
      const typed = options.typedItem?.(answer.type);
      record.typed = typed;
      return typed && typed.acceptable !== false ? typed.value : undefined;
    }
    const chosen = items.find((i) => answer.choose(i.label) && i.acceptable !== false);
    return chosen?.value;
  }

  async input(options: InputOptions) {
    this.inputs.push(options);
    return this.inputAnswers.shift();
  }

  /** Progress notifications shown, with every line reported beside the title. */
  readonly progress: { title: string; reports: string[] }[] = [];
  /** Cancels the next progress notification (as its Cancel button would) once it has reported this many lines. */
  cancelProgressAfter: number | undefined;

  async withProgress<R>(title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<R>) {
    const record = { title, reports: [] as string[] };
    this.progress.push(record);
    const controller = new AbortController();
    const cancelAfter = this.cancelProgressAfter;
    this.cancelProgressAfter = undefined;
    if (cancelAfter === 0) controller.abort();
    return task(controller.signal, (message) => {
      record.reports.push(message);
      if (cancelAfter !== undefined && record.reports.length >= cancelAfter) controller.abort();
    });
  }

  async openUntitled(content: string) {
    this.opened.push(content);
  }

  readonly settings = new Map<string, unknown>();

  async openFile(path: string) {
    this.opened.push(path);
  }

  async updateSetting(key: string, value: unknown) {
    this.settings.set(key, value);
  }

  async copyToClipboard(text: string) {
    this.clipboard.push(text);
  }

  async openExternal(url: string) {
    this.opened.push(url);
  }

  /** Pages opened with openInBrowser (as given: the fake has no port proxy). */
  readonly browsed: string[] = [];

  async openInBrowser(url: string) {
    this.browsed.push(url);
    return url;
  }

  /** Commands that run when executed (as VS Code would run a registered one); the others are only recorded. */
  readonly commandHandlers = new Map<string, (...args: unknown[]) => unknown>();

  async executeCommand(command: string, ...args: unknown[]) {
    this.executed.push({ command, args });
    return this.commandHandlers.get(command)?.(...args);
  }

  appName = 'Visual Studio Code';
  /** Ids hasExtension answers true for. */
  extensions: string[] = [];
  readonly foldersOpened: { folder: { scheme: string; authority: string; path: string }; newWindow: boolean }[] = [];

  hasExtension(id: string) {
    return this.extensions.includes(id);
  }

  async openFolder(folder: { scheme: string; authority: string; path: string }, newWindow: boolean) {
    this.foldersOpened.push({ folder, newWindow });
  }

  readonly terminals: FakeTerminal[] = [];

  /** Records the terminal and opens it (80x24), as the editor does once it is shown. */
  openTerminal(name: string, create: (output: TerminalOutput) => TerminalInput) {
    const terminal = { name, text: '', closedWith: 'open' } as FakeTerminal;
    terminal.logic = create({
      write: (text) => void (terminal.text += text),
      close: (exitCode) => void (terminal.closedWith = exitCode),
    });
    this.terminals.push(terminal);
    terminal.logic.open({ cols: 80, rows: 24 });
  }

  /** The workspace's folders: addWorkspaceFolder appends to it, as the editor would. */
  readonly folders: WorkspaceFolderEntry[] = [];

  workspaceFolders() {
    return [...this.folders];
  }

  addWorkspaceFolder(folder: WorkspaceFolderEntry) {
    const same = (uri: UriParts) => uri.scheme === folder.uri.scheme && uri.authority === folder.uri.authority && uri.path === folder.uri.path;
    if (this.folders.some((f) => same(f.uri))) return false;
    this.folders.push(folder);
    return true;
  }

  /** Answers to chooseSaveFile and chooseLocal, in order (undefined: dismissed); the options asked with are recorded. */
  localAnswers: (string | string[] | undefined)[] = [];
  readonly localAsked: { title: string; folder?: boolean; defaultName?: string }[] = [];

  async chooseSaveFile(options: { title: string; defaultName: string }) {
    this.localAsked.push(options);
    const answer = this.localAnswers.shift();
    return Array.isArray(answer) ? answer[0] : answer;
  }

  async chooseLocal(options: { title: string; openLabel: string; folder: boolean }) {
    this.localAsked.push(options);
    const answer = this.localAnswers.shift();
    return answer === undefined ? undefined : Array.isArray(answer) ? answer : [answer];
  }

  /** Documents opened with openDocument, with their line. */
  readonly documentsOpened: { uri: UriParts; line?: number }[] = [];
  /** The open documents' text, by URI path (the test's editor). */
  readonly documents = new Map<string, string>();
  active: UriParts | undefined;
  readonly reverted: UriParts[] = [];

  async openDocument(uri: UriParts, line?: number) {
    this.documentsOpened.push({ uri, line });
  }

  activeDocument() {
    return this.active;
  }

  documentText(uri: UriParts) {
    return this.documents.get(uri.path);
  }

  async revertDocument(uri: UriParts) {
    this.reverted.push(uri);
  }
}
