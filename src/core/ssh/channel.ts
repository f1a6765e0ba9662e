import type { ProductError } from '../errors/productError';

/** A terminal's size in character cells. */
export interface PtySize {
  cols: number;
  rows: number;
}

/** How a channel ended: the remote program exited, or the connection under it was lost. */
export type ChannelEnd =
  | { kind: 'exit'; code: number; signal?: string }
  | { kind: 'lost'; error: ProductError };

/**
 * A byte stream to a remote shell or program, as a terminal uses it. The ssh2 session implements it
 * for Connect; the serial console implements it too; unit tests use a fake.
 */
export interface TerminalChannel {
  /** Output as it arrives, in order. Only one listener. */
  onData(listener: (data: Buffer, stream: 'stdout' | 'stderr') => void): void;
  /** Called once, after the last output. Only one listener. */
  onEnd(listener: (end: ChannelEnd) => void): void;
  write(data: string | Buffer): void;
  resize(size: PtySize): void;
  /** Sends end-of-file, for a command that reads its input to the end. */
  endInput(): void;
  /** Stops and resumes output (the SSH window closes meanwhile, so the other end waits): flow control for slow readers. */
  pause(): void;
  resume(): void;
  /** Closes the channel and its connection, without an end event. */
  close(): void;
}
