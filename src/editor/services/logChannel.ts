import type { LogSink } from '../../core/base/log';

/** The output channel as the log uses it: a vscode.LogOutputChannel, or a test's stand-in. */
export type OutputChannelSink = LogSink & { dispose(): void };

/**
 * The log's output channel, which drops lines once it is disposed. On deactivation the extension host disposes
 * the extension's subscriptions one by one, and what closes after the channel (the forwards, the pooled
 * connections) still logs as it goes: a line written to the disposed channel threw, and the host reported "An
 * error occurred when disposing the subscriptions". The channel is also disposed last (extension.ts).
 */
export class LogChannel implements LogSink {
  private open = true;

  constructor(private readonly channel: OutputChannelSink) {}

  trace(line: string): void {
    if (this.open) this.channel.trace(line);
  }

  debug(line: string): void {
    if (this.open) this.channel.debug(line);
  }

  info(line: string): void {
    if (this.open) this.channel.info(line);
  }

  warn(line: string): void {
    if (this.open) this.channel.warn(line);
  }

  error(line: string): void {
    if (this.open) this.channel.error(line);
  }

  dispose(): void {
    this.open = false;
    this.channel.dispose();
  }
}
