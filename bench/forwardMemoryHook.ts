/**
 * Preloaded (node --require) into the forward probe by bench/forwardMemory.ts: every 20 ms it writes a line
 * of JSON to the file EC2IC_BENCH_FORWARD_MEMORY names, with process.memoryUsage() and the bytes queued in
 * the process's piped streams (the local sockets, and ssh2's channels: their readable and writable buffers
 * and the chunk waiting for the remote window), and a line for each GC. That tells data the forward holds
 * (queued in a stream or ssh2's window) from Buffers already done with that the GC has not collected yet.
 * EC2IC_BENCH_FORWARD_MEMORY_PREWARM_MB: allocates and frees that much in 32 KB Buffers first (run node with
 * --expose-gc), as loading a larger bundle leaves freed memory behind in the allocator.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { Readable } from 'node:stream';

/** What an ssh2 channel has that a socket does not (its fields, not its types). */
interface ChannelLike extends Readable {
  writableLength: number;
  incoming: { window: number };
  outgoing: { window: number };
  _chunk?: Buffer;
}

export interface MemorySample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Bytes in the piped sockets' and ssh2 channels' buffers. */
  queued: number;
}

export interface GcEvent {
  t: number;
  gc: 'minor' | 'major' | 'incremental' | 'weak' | 'other';
  ms: number;
}

const file = process.env.EC2IC_BENCH_FORWARD_MEMORY;
if (file) {
  writeFileSync(file, '');
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) appendFileSync(file, `${lines.join('\n')}\n`);
    lines = [];
  };

  // Every stream piped anywhere in the process: the forward pipes each local socket and its channel both ways.
  const piped = new Set<Readable | NodeJS.WritableStream>();
  const pipe = Readable.prototype.pipe;
  Readable.prototype.pipe = function <T extends NodeJS.WritableStream>(this: Readable, destination: T, options?: { end?: boolean }): T {
    piped.add(this);
    piped.add(destination);
    this.once('close', () => {
      piped.delete(this);
      piped.delete(destination);
    });
    return pipe.call(this, destination, options) as T;
  };
  const isChannel = (stream: unknown): stream is ChannelLike => typeof stream === 'object' && stream !== null && 'incoming' in stream && 'outgoing' in stream;
  const queued = () => {
    let bytes = 0;
    for (const stream of piped) {
      if (stream instanceof Socket) bytes += stream.destroyed ? 0 : stream.readableLength + stream.writableLength;
      else if (isChannel(stream)) bytes += stream.readableLength + stream.writableLength + (stream._chunk?.length ?? 0);
    }
    return bytes;
  };

  setInterval(() => {
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const sample: MemorySample = { t: Date.now(), rss, heapTotal, heapUsed, external, arrayBuffers, queued: queued() };
    lines.push(JSON.stringify(sample));
  }, 20).unref();
  setInterval(flush, 500).unref();
  process.on('exit', flush);

  const kinds: Record<number, GcEvent['gc']> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const event: GcEvent = { t: Math.round(performance.timeOrigin + entry.startTime), gc: (kind !== undefined && kinds[kind]) || 'other', ms: entry.duration };
      lines.push(JSON.stringify(event));
    }
  }).observe({ entryTypes: ['gc'] });

  const prewarmMb = Number(process.env.EC2IC_BENCH_FORWARD_MEMORY_PREWARM_MB ?? 0);
  if (prewarmMb > 0) {
    // All held at once, then dropped together when the function returns, and collected.
    const churn = () => {
      const held: Buffer[] = [];
      for (let i = 0; i < prewarmMb * 32; i++) held.push(Buffer.allocUnsafeSlow(32 * 1024).fill(1));
      return held.length;
    };
    churn();
    (globalThis as { gc?: () => void }).gc?.();
  }
}
