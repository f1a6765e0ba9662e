import type { ChannelEnd, PtySize, TerminalChannel } from '../../src/core/ssh/channel';

/** A TerminalChannel the test drives: it records what the terminal sends and emits what the test says. */
export class FakeChannel implements TerminalChannel {
  readonly written: string[] = [];
  readonly resizes: PtySize[] = [];
  closed = false;
  inputEnded = false;
  paused = false;
  private dataListener?: (data: Buffer, stream: 'stdout' | 'stderr') => void;
  private endListener?: (end: ChannelEnd) => void;

  onData(listener: (data: Buffer, stream: 'stdout' | 'stderr') => void): void {
    this.dataListener = listener;
  }

  onEnd(listener: (end: ChannelEnd) => void): void {
    this.endListener = listener;
  }

  write(data: string | Buffer): void {
    this.written.push(data.toString());
  }

  resize(size: PtySize): void {
    this.resizes.push(size);
  }

  endInput(): void {
    this.inputEnded = true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  close(): void {
    this.closed = true;
  }

  /** The remote side sends output. */
  output(data: string | Buffer): void {
    this.dataListener?.(Buffer.isBuffer(data) ? data : Buffer.from(data), 'stdout');
  }

  end(end: ChannelEnd): void {
    this.endListener?.(end);
  }
}
