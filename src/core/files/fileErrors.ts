/** The kinds VS Code's FileSystemError has, which the editor maps them to. */
export type RemoteFileErrorKind = 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable';

/** A file operation on an instance that failed, in words that name the path and the instance. */
export class RemoteFileError extends Error {
  override readonly name = 'RemoteFileError';

  constructor(
    readonly kind: RemoteFileErrorKind,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** Recognized by shape (the core bundle has its own copy of the class). */
export function isRemoteFileError(err: unknown, kind?: RemoteFileErrorKind): err is RemoteFileError {
  const candidate = err as Partial<RemoteFileError> | undefined;
  return err instanceof Error && candidate?.name === 'RemoteFileError' && typeof candidate.kind === 'string' && (kind === undefined || candidate.kind === kind);
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02, what OpenSSH's sftp-server speaks). */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const NO_CONNECTION = 6;
const CONNECTION_LOST = 7;

/**
 * An ssh2 SFTP error (or the connection's loss) as a RemoteFileError. SFTP v3 has one FAILURE code for
 * everything else (an existing directory, a non-empty one…): `failure` says what it means for this operation.
 */
export function fileFailure(err: unknown, path: string, who: string, failure?: { kind: RemoteFileErrorKind; why: string }): RemoteFileError {
  if (isRemoteFileError(err)) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === NO_SUCH_FILE) return new RemoteFileError('FileNotFound', `${path} does not exist on ${who}.`, path);
  if (code === PERMISSION_DENIED) return new RemoteFileError('NoPermissions', `${path} on ${who}: permission denied.`, path);
  if (typeof code === 'number' && code !== NO_CONNECTION && code !== CONNECTION_LOST && failure) {
    return new RemoteFileError(failure.kind, `${path} on ${who}: ${failure.why}`, path);
  }
  if (typeof code === 'number' && code !== NO_CONNECTION && code !== CONNECTION_LOST) {
    return new RemoteFileError('Unavailable', `${path} on ${who}: ${message}.`, path);
  }
  return unavailable(path, who, message);
}

/** The connection to the instance is gone or could not be made: try again later (VS Code's Unavailable). */
export function unavailable(path: string, who: string, reason: string): RemoteFileError {
  return new RemoteFileError('Unavailable', `${path} on ${who} is unavailable: ${reason.replace(/\.$/, '')}.`, path);
}
