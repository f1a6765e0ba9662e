import { isFileWriteError } from '../base/atomicFile';
import { ProductError } from './productError';

/**
 * A file that could not be written, as the product's failure: the words of FileWriteError (which name the
 * file), and for a bare permission errno (creating a folder) the path it carries. Other errors pass through.
 * `extra` is what the caller can add (the line to add by hand).
 */
export function fileWriteFailure(err: unknown, extra = ''): unknown {
  const suffix = extra ? ` ${extra}` : '';
  if (isFileWriteError(err)) return new ProductError('fileNotWritable', `${err.message}${suffix}`, { path: err.path, reason: err.reason, code: err.code });
  const errno = err as NodeJS.ErrnoException;
  if ((errno?.code === 'EACCES' || errno?.code === 'EPERM' || errno?.code === 'EROFS') && typeof errno.path === 'string') {
    return new ProductError(
      'fileNotWritable',
      `Could not ${errno.syscall === 'mkdir' ? 'create the folder' : 'write'} ${errno.path}: permission denied (${errno.code}), so nothing was changed. Check the owner and permissions of it and of its folder.${suffix}`,
      { path: errno.path, code: errno.code },
    );
  }
  return err;
}
