import type { OpenMode, SFTPWrapper } from 'ssh2';

/**
 * Requests in flight and their size, so that a file moves at the speed of the link rather than one round trip
 * per chunk. OpenSSH's sftp uses 64 of 32 KB; with ssh2 the cost is per request (its JavaScript), so fewer,
 * larger ones (OpenSSH's sftp-server takes up to 256 KB) go faster: reads of 50 MB at 0.38–0.61× OpenSSH with
 * 64 × 32 KB, 0.70–0.86× with 16 × 192 KB, in the same runs of bench/files.ts on a loaded machine.
 */
export const transferConcurrency = 16;
export const transferChunkSize = 196608;

type Handle = Buffer;

function call<T>(start: (callback: (err: Error | undefined | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}

export function openFile(sftp: SFTPWrapper, path: string, flags: OpenMode, mode?: number): Promise<Handle> {
  return call((cb) => (mode === undefined ? sftp.open(path, flags, cb) : sftp.open(path, flags, { mode }, cb)));
}

export function closeFile(sftp: SFTPWrapper, handle: Handle): Promise<void> {
  return call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined)));
}

function readChunk(sftp: SFTPWrapper, handle: Handle, length: number, position: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const buffer = Buffer.allocUnsafe(length);
    sftp.read(handle, buffer, 0, length, position, (err, bytesRead) => {
      // End of file is an SFTP status (EOF, code 1), not an error here.
      if (err && (err as { code?: unknown }).code === 1) return resolve(Buffer.alloc(0));
      if (err) return reject(err);
      resolve(buffer.subarray(0, bytesRead));
    });
  });
}

function writeChunk(sftp: SFTPWrapper, handle: Handle, data: Buffer, position: number): Promise<void> {
  return call<void>((cb) => sftp.write(handle, data, 0, data.length, position, (err) => cb(err, undefined)));
}

/**
 * The whole file behind an open handle, with `transferConcurrency` reads in flight. `sizeHint` (fstat's size)
 * decides how many to send at once; a file that grew meanwhile is read to its end, a short read is re-asked.
 */
export async function readWhole(sftp: SFTPWrapper, handle: Handle, sizeHint: number): Promise<Buffer> {
  const parts = new Map<number, Buffer>();
  let next = 0;
  let end = sizeHint;
  let eof = false;
  const worker = async (): Promise<void> => {
    while (!eof && next < end) {
      const position = next;
      const length = Math.min(transferChunkSize, end - position);
      next += length;
      let got = 0;
      while (got < length) {
        const chunk = await readChunk(sftp, handle, length - got, position + got);
        if (chunk.length === 0) {
          eof = true;
          break;
        }
        parts.set(position + got, chunk);
        got += chunk.length;
      }
      // The file is shorter than fstat said (it shrank): what was read up to here is the file.
      if (got < length) end = Math.min(end, position + got);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(transferConcurrency, Math.ceil(sizeHint / transferChunkSize))) }, worker));
  // Grown since fstat: read on until the end, one chunk at a time.
  for (let position = end; !eof && end === sizeHint; ) {
    const chunk = await readChunk(sftp, handle, transferChunkSize, position);
    if (chunk.length === 0) break;
    parts.set(position, chunk);
    position += chunk.length;
  }
  const ordered = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, chunk]) => chunk);
  return Buffer.concat(ordered);
}

/** Writes `data` at the start of an open handle, with `transferConcurrency` writes in flight. */
export async function writeWhole(sftp: SFTPWrapper, handle: Handle, data: Uint8Array): Promise<void> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < buffer.length) {
      const position = next;
      next += transferChunkSize;
      await writeChunk(sftp, handle, buffer.subarray(position, Math.min(position + transferChunkSize, buffer.length)), position);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(transferConcurrency, Math.ceil(buffer.length / transferChunkSize))) }, worker));
}

/** A remote file to a local path, streamed (ssh2's parallel reads), never whole in memory. */
export function download(sftp: SFTPWrapper, remotePath: string, localPath: string): Promise<void> {
  return call<void>((cb) => sftp.fastGet(remotePath, localPath, { concurrency: transferConcurrency, chunkSize: transferChunkSize }, (err) => cb(err, undefined)));
}

/** A local file to a remote path, streamed (ssh2's parallel writes). */
export function upload(sftp: SFTPWrapper, localPath: string, remotePath: string, mode?: number): Promise<void> {
  return call<void>((cb) =>
    sftp.fastPut(localPath, remotePath, { concurrency: transferConcurrency, chunkSize: transferChunkSize, ...(mode === undefined ? {} : { mode }) }, (err) => cb(err, undefined)),
  );
}
