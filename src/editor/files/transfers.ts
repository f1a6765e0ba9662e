import { mkdir, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';

import type { RemoteFiles } from '../../core/files/remoteFiles';

const fileBit = 1;
const directoryBit = 2;
const linkBit = 64;

export interface TransferProgress {
  /** Stops between files when it aborts (the progress notification's Cancel). */
  signal: AbortSignal;
  report(message: string): void;
}

export interface DownloadResult {
  files: number;
  /** What was left out: linked folders (which could loop), sockets, devices. */
  skipped: string[];
}

/**
 * A remote file, or a folder with everything in it, to `localPath` (which must not exist yet), each file streamed
 * by SFTP (never whole in memory). A link to a file is downloaded as the file; a link to a folder is skipped.
 */
export async function downloadTree(
  remote: Pick<RemoteFiles, 'stat' | 'readDirectory' | 'download'>,
  remotePath: string,
  localPath: string,
  progress: TransferProgress,
): Promise<DownloadResult> {
  const result: DownloadResult = { files: 0, skipped: [] };
  const walk = async (from: string, to: string, kind: number): Promise<void> => {
    progress.signal.throwIfAborted();
    if (kind & directoryBit) {
      if (kind & linkBit) {
        result.skipped.push(from);
        return;
      }
      await mkdir(to);
      for (const [name, childKind] of await remote.readDirectory(from)) await walk(posix.join(from, name), join(to, localName(name)), childKind);
    } else if (kind & fileBit) {
      progress.report(`${posix.basename(from)} (${result.files + 1})`);
      await remote.download(from, to);
      result.files++;
    } else {
      result.skipped.push(from);
    }
  };
  await walk(remotePath, localPath, (await remote.stat(remotePath)).type);
  return result;
}

/** Local files into a remote folder, each streamed, keeping their permission bits (an executable stays one). */
export async function uploadFiles(remote: Pick<RemoteFiles, 'upload'>, localPaths: string[], folder: string, progress: TransferProgress): Promise<string[]> {
  const uploaded: string[] = [];
  for (const [index, local] of localPaths.entries()) {
    progress.signal.throwIfAborted();
    const target = posix.join(folder, basename(local));
    progress.report(`${basename(local)} (${index + 1} of ${localPaths.length})`);
    await remote.upload(local, target, (await stat(local)).mode & 0o777);
    uploaded.push(target);
  }
  return uploaded;
}

/** A remote name as a local one: on Windows, the characters its file names cannot hold (and its separator) become `_`. */
export function localName(name: string, platform: NodeJS.Platform = process.platform): string {
  // eslint-disable-next-line no-control-regex -- control characters are among what Windows refuses
  return platform === 'win32' ? name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') : name;
}
