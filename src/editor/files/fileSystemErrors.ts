import { isRemoteFileError, type RemoteFileError, unavailable } from '../../core/files/fileErrors';

/**
 * Any failure of a file operation as a RemoteFileError, whose kind is the vscode.FileSystemError it becomes and
 * whose message names the path and the instance. The core's own errors pass through; anything else (a connection
 * that could not be made, an unexpected error) is Unavailable: VS Code then keeps the editor's text and lets the
 * user try again.
 */
export function asFileError(err: unknown, path: string, who: string): RemoteFileError {
  if (isRemoteFileError(err)) return err;
  return unavailable(path, who, err instanceof Error ? err.message : String(err));
}
