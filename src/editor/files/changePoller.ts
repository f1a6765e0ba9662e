import type { Logger } from '../../core/base/log';
import { isRemoteFileError } from '../../core/files/fileErrors';
import type { RemoteStat } from '../../core/files/remoteFiles';
import type { FileChange } from '../services/services';
import type { UriParts } from '../services/ui';
import { childUri, isWithin, parentUri, uriKey } from './fileUri';

/** FileKind's directory bit (as vscode.FileType.Directory). */
const directoryBit = 2;

/** What the poller looks at: the instance's files as the file system reads them, without its own bookkeeping. */
export interface PolledFiles {
  stat(uri: UriParts): Promise<RemoteStat>;
  readDirectory(uri: UriParts): Promise<[string, number][]>;
}

export interface ChangePollerOptions {
  files: PolledFiles;
  /** Read at each poll, so a changed setting applies at the next one. */
  intervalSeconds(): number;
  fire(changes: FileChange[]): void;
  log: Logger;
}

/** A change the file system made itself (a save, a new folder, a rename), with the kind of what it made. */
export interface AppliedChange extends FileChange {
  kind?: number;
}

type State = { exists: false } | { exists: true; type: number; mtime: number; size: number; entries?: Map<string, number> };

interface Item {
  uri: UriParts;
  /** Watches on exactly this URI, and how many of them are recursive. */
  watches: number;
  recursive: number;
  /** An editor shows it. */
  open: boolean;
  /** Listed by the explorer under a recursive watch (an expanded folder): when, as a sequence number. */
  listed?: number;
  /** What the last look saw; undefined until the first look, which only records. */
  state?: State;
}

/** Listed folders polled at most (the most recently listed); a folder listed again comes back. */
export const maxListedFolders = 64;
/** After a poll that could not reach the instance, the interval doubles, up to this many times the setting. */
const maxBackoff = 16;
/** Looks in flight at once. */
const concurrency = 8;

/**
 * SFTP has no change notifications, so changes made on the instance are found by looking: the stat of each open
 * file, and the listing of each watched or expanded folder, every few seconds, only while the window has focus,
 * and only while something is open or watched (otherwise no timer runs). The first look at anything only
 * records what it is; later ones report what differs as Created, Changed and Deleted. A look that cannot reach
 * the instance reports nothing, and the next one waits longer.
 */
export class ChangePoller {
  private readonly items = new Map<string, Item>();
  private focused = true;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private backoff = 1;
  private sequence = 0;
  private disposed = false;

  constructor(private readonly options: ChangePollerOptions) {}

  /** VS Code's watch(uri, {recursive}): until the returned function runs. */
  watch(uri: UriParts, recursive: boolean): () => void {
    const item = this.item(uri);
    item.watches++;
    if (recursive) item.recursive++;
    this.changed();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      item.watches--;
      if (recursive) item.recursive--;
      this.prune(item);
      this.changed();
    };
  }

  /** The files open in editors now (the whole set, each time it changes). */
  setOpenFiles(uris: UriParts[]): void {
    const open = new Set(uris.map(uriKey));
    for (const [key, item] of [...this.items]) {
      if (item.open && !open.has(key)) {
        item.open = false;
        this.prune(item);
      }
    }
    for (const uri of uris) this.item(uri).open = true;
    this.changed();
  }

  /** The window gained or lost focus: looking stops without it, and starts again at once when it comes back. */
  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    this.cancel();
    if (focused) this.schedule(0);
  }

  /** The explorer listed a folder: under a recursive watch, it is expanded, and its listing is what it shows. */
  listed(uri: UriParts, entries: [string, number][]): void {
    if (!this.covered(uri) && !this.items.get(uriKey(uri))?.watches) return;
    const item = this.item(uri);
    item.listed = ++this.sequence;
    item.state = { exists: true, type: directoryBit, mtime: 0, size: 0, entries: new Map(entries) };
    this.evictListed();
    this.changed();
  }

  /** What the file system did itself: its listings and snapshots follow, so the next look reports nothing of it. */
  applied(changes: AppliedChange[]): void {
    for (const change of changes) {
      const parent = this.items.get(uriKey(parentUri(change.uri)));
      const name = change.uri.path.slice(change.uri.path.lastIndexOf('/') + 1);
      const entries = parent?.state?.exists ? parent.state.entries : undefined;
      const item = this.items.get(uriKey(change.uri));
      if (change.type === 'deleted') {
        entries?.delete(name);
        if (item) item.state = { exists: false };
        for (const other of [...this.items.values()]) {
          if (other !== item && isWithin(other.uri, change.uri) && other.listed !== undefined) {
            other.listed = undefined;
            this.prune(other);
          }
        }
      } else {
        if (change.type === 'created') entries?.set(name, change.kind ?? 1);
        // Looked at afresh next time: what it is now is what the editor just made.
        if (item) item.state = undefined;
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
    this.items.clear();
  }

  /** Whether a timer is set or a look is running (nothing runs when nothing is open or the window has no focus). */
  get active(): boolean {
    return this.timer !== undefined || this.polling;
  }

  /** One look at everything now (what the timer runs). */
  async poll(): Promise<void> {
    const items = [...this.items.values()].filter((item) => this.isPolled(item));
    const changes = new Map<string, FileChange>();
    const report = (type: FileChange['type'], uri: UriParts) => changes.set(`${type} ${uriKey(uri)}`, { type, uri });
    let unreachable = false;
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++];
        try {
          await this.look(item, report);
        } catch (err) {
          if (isRemoteFileError(err, 'Unavailable')) unreachable = true;
          this.options.log.debug(`[files] could not look at ${item.uri.path}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    this.backoff = unreachable ? Math.min(this.backoff * 2, maxBackoff) : 1;
    if (changes.size && !this.disposed) this.options.fire([...changes.values()]);
  }

  private async look(item: Item, report: (type: FileChange['type'], uri: UriParts) => void): Promise<void> {
    const before = item.state;
    const lists = this.lists(item);
    if (before?.exists && before.type & directoryBit && lists) return this.lookAtFolder(item, before, report);
    let stat: RemoteStat;
    try {
      stat = await this.options.files.stat(item.uri);
    } catch (err) {
      if (!isRemoteFileError(err, 'FileNotFound')) throw err;
      item.state = { exists: false };
      if (before?.exists) report('deleted', item.uri);
      return;
    }
    const now: State = { exists: true, type: stat.type, mtime: stat.mtime, size: stat.size };
    if (stat.type & directoryBit && lists) now.entries = new Map(await this.options.files.readDirectory(item.uri));
    item.state = now;
    if (!before) return;
    if (!before.exists) report('created', item.uri);
    else if (before.type !== now.type || before.mtime !== now.mtime || before.size !== now.size) report('changed', item.uri);
  }

  private async lookAtFolder(item: Item, before: Extract<State, { exists: true }>, report: (type: FileChange['type'], uri: UriParts) => void): Promise<void> {
    let listing: [string, number][];
    try {
      listing = await this.options.files.readDirectory(item.uri);
    } catch (err) {
      if (!isRemoteFileError(err, 'FileNotFound')) throw err;
      item.state = { exists: false };
      report('deleted', item.uri);
      if (item.listed !== undefined) {
        item.listed = undefined;
        this.prune(item);
      }
      return;
    }
    const entries = new Map(listing);
    const previous = before.entries ?? new Map<string, number>();
    item.state = { ...before, entries };
    if (!before.entries) return;
    for (const [name, kind] of entries) {
      const was = previous.get(name);
      if (was === undefined) report('created', childUri(item.uri, name));
      else if (was !== kind) {
        report('deleted', childUri(item.uri, name));
        report('created', childUri(item.uri, name));
      }
    }
    for (const name of previous.keys()) if (!entries.has(name)) report('deleted', childUri(item.uri, name));
  }

  /** A folder's listing is compared when it is watched or listed; a file's stat always. */
  private lists(item: Item): boolean {
    return item.watches > 0 || item.listed !== undefined;
  }

  private isPolled(item: Item): boolean {
    return item.watches > 0 || item.open || (item.listed !== undefined && this.covered(item.uri));
  }

  /** Under (or at) a recursive watch. */
  private covered(uri: UriParts): boolean {
    for (const item of this.items.values()) if (item.recursive > 0 && isWithin(uri, item.uri)) return true;
    return false;
  }

  private item(uri: UriParts): Item {
    const key = uriKey(uri);
    let item = this.items.get(key);
    if (!item) {
      item = { uri, watches: 0, recursive: 0, open: false };
      this.items.set(key, item);
    }
    return item;
  }

  /** Forgets an item nothing keeps any more. */
  private prune(item: Item): void {
    if (item.watches > 0 || item.open || item.listed !== undefined) return;
    this.items.delete(uriKey(item.uri));
  }

  private evictListed(): void {
    const listed = [...this.items.values()].filter((item) => item.listed !== undefined).sort((a, b) => (a.listed ?? 0) - (b.listed ?? 0));
    for (const item of listed.slice(0, Math.max(0, listed.length - maxListedFolders))) {
      item.listed = undefined;
      this.prune(item);
    }
  }

  /** Something was added or removed: start or stop the timer. */
  private changed(): void {
    if ([...this.items.values()].some((item) => this.isPolled(item))) this.schedule();
    else this.cancel();
  }

  private schedule(delay = this.options.intervalSeconds() * 1000 * this.backoff): void {
    if (this.timer || this.polling || this.disposed || !this.focused) return;
    if (![...this.items.values()].some((item) => this.isPolled(item))) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delay);
  }

  private async tick(): Promise<void> {
    this.polling = true;
    try {
      await this.poll();
    } finally {
      this.polling = false;
      this.schedule();
    }
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
