import { readTextIfExists } from '../base/atomicFile';
import { ProductError } from '../errors/productError';

/** The public key line the proxy pushes, read from the file the host entry names. */
export async function readPublicKeyLine(path: string): Promise<string> {
  const text = await readTextIfExists(path).catch((err: NodeJS.ErrnoException) => {
    throw new ProductError('badInput', `The public key file ${path} could not be read (${err.code ?? err.message}).`, { path });
  });
  const line = text?.trim().split(/\r?\n/)[0] ?? '';
  if (!/^ssh-(ed25519|rsa) [A-Za-z0-9+/=]+/.test(line)) {
    throw new ProductError(
      'badInput',
      text === undefined ? `The public key file ${path} does not exist.` : `${path} does not hold an OpenSSH public key (ssh-ed25519 or ssh-rsa).`,
    );
  }
  return line;
}
