import { StringDecoder } from 'node:string_decoder';

import { plainText } from '../../core/base/sanitize';
import { isProductError } from '../../core/errors/productError';
import type { ChannelEnd, PtySize, TerminalChannel } from '../../core/ssh/channel';
import type { TerminalInput, TerminalOutput } from '../services/ui';

/** Opens the channel a terminal shows: Connect's ssh2 shell, the serial console, a fake in tests. */
export type OpenChannel = (request: OpenChannelRequest) => Promise<TerminalChannel>;

export interface OpenChannelRequest {
  size: PtySize;
  /** 0 for the first connection, then 1, 2, … for reconnects. */
  attempt: number;
  /** Shows a status line ("Connecting to ec2-user@… (i-…)…") in the terminal. */
  status(line: string): void;
  /** Aborts when the terminal is closed while connecting. */
  signal: AbortSignal;
}

/** What the session does to its terminal, and what it tells its host. */
export interface TerminalSessionHost extends TerminalOutput {
  /** Connecting failed (not a drop): the host shows a notification whose actions may call reconnect(). */
  failed(err: unknown): void;
  /** The failure in plain words for the terminal; the error's own message without it. */
  describe?(err: unknown): string;
}

export type TerminalState = 'new' | 'connecting' | 'open' | 'disconnected' | 'failed' | 'closed';

const defaultSize: PtySize = { cols: 80, rows: 24 };
/** Keystrokes typed while connecting are kept (up to this much) and sent once the shell is open. */
const typeAheadLimit = 4096;

/**
 * The logic of a terminal on a remote channel, without the editor: connect on open, pass input through,
 * forward resizes, write output as it comes, close with the exit status, and after a dropped connection
 * or a failed attempt offer "Press Enter" to connect again. Every line it writes itself ends in \r\n.
 *
 * Output streams straight through: nothing is queued here beyond the few bytes of a UTF-8 character split
 * across chunks. (VS Code's extension terminals have no flow control to wait for; the channel's pause and
 * resume are there for hosts that do, like the CLI.)
 */
export class TerminalSession implements TerminalInput {
  private current: TerminalState = 'new';
  private size: PtySize = defaultSize;
  private channel?: TerminalChannel;
  private connecting?: AbortController;
  private attempts = 0;
  private typeAhead = '';

  constructor(
    private readonly openChannel: OpenChannel,
    private readonly host: TerminalSessionHost,
  ) {}

  get state(): TerminalState {
    return this.current;
  }

  /** The terminal is ready: connect. */
  open(size: PtySize | undefined): void {
    if (this.current !== 'new') return;
    if (size) this.size = size;
    void this.connect();
  }

  input(data: string): void {
    if (this.current === 'open') {
      this.channel?.write(data);
    } else if (this.current === 'connecting') {
      if (this.typeAhead.length + data.length <= typeAheadLimit) this.typeAhead += data;
    } else if ((this.current === 'disconnected' || this.current === 'failed') && data.includes('\r')) {
      this.reconnect();
    }
  }

  resize(size: PtySize): void {
    this.size = size;
    if (this.current === 'open') this.channel?.resize(size);
  }

  /** Connects again after a drop or a failure (Enter in the terminal, or a notification's Retry). */
  reconnect(): void {
    if (this.current !== 'disconnected' && this.current !== 'failed') return;
    void this.connect();
  }

  /** The terminal was closed by the user: end everything, quietly. */
  close(): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.connecting?.abort();
    this.channel?.close();
    this.channel = undefined;
  }

  private async connect(): Promise<void> {
    this.current = 'connecting';
    const controller = new AbortController();
    this.connecting = controller;
    const size = this.size;
    let channel: TerminalChannel;
    try {
      channel = await this.openChannel({
        size,
        attempt: this.attempts++,
        status: (line) => this.current === 'connecting' && this.writeLine(line),
        signal: controller.signal,
      });
    } catch (err) {
      if (this.isClosed()) return;
      if (isProductError(err, 'cancelled')) {
        this.current = 'closed';
        this.host.close();
        return;
      }
      this.current = 'failed';
      this.typeAhead = '';
      this.writeLine(this.host.describe?.(err) ?? messageOf(err));
      this.writeLine('Press Enter to try again, or close this terminal.');
      this.host.failed(err);
      return;
    } finally {
      if (this.connecting === controller) this.connecting = undefined;
    }
    if (this.isClosed()) {
      channel.close();
      return;
    }
    this.attach(channel, size);
  }

  private attach(channel: TerminalChannel, openedWith: PtySize): void {
    this.channel = channel;
    this.current = 'open';
    const decoder = new StringDecoder('utf8');
    channel.onData((data) => {
      const text = decoder.write(data);
      if (text && this.current === 'open') this.host.write(text);
    });
    channel.onEnd((end) => {
      const rest = decoder.end();
      if (rest && this.current === 'open') this.host.write(rest);
      this.ended(channel, end);
    });
    // The terminal may have been resized, and the user may have typed, while connecting.
    if (this.size.cols !== openedWith.cols || this.size.rows !== openedWith.rows) channel.resize(this.size);
    if (this.typeAhead) channel.write(this.typeAhead);
    this.typeAhead = '';
  }

  private ended(channel: TerminalChannel, end: ChannelEnd): void {
    if (this.channel !== channel || this.current !== 'open') return;
    this.channel = undefined;
    if (end.kind === 'exit') {
      this.current = 'closed';
      this.host.close(end.code);
      return;
    }
    this.current = 'disconnected';
    // The cursor may be anywhere on a line of the remote shell's.
    this.host.write('\r\n');
    this.writeLine(end.error.message);
    this.writeLine('Press Enter to reconnect, or close this terminal.');
  }

  /** A method, so that the state is read afresh after an await (TypeScript would keep its earlier narrowing). */
  private isClosed(): boolean {
    return this.current === 'closed';
  }

  /** A line of the session's own; messages can hold untrusted text (Name tags, AWS's messages), which stays plain text. */
  private writeLine(line: string): void {
    this.host.write(`${plainText(line, { multiline: true }).replace(/\n/g, '\r\n')}\r\n`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
