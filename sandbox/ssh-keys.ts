// OpenSSH public key lines: parsing, fingerprints, and the checks EC2 Instance Connect applies to pushed keys.
import { createHash } from 'node:crypto';

import { utils } from 'ssh2';

export interface PublicKeyLine {
  type: string;
  blob: Buffer;
}

/** Reads the SSH wire-format strings of a key blob (type, then the key's own fields). */
function readStrings(blob: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= blob.length) {
    const length = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + length > blob.length) throw new Error('truncated key blob');
    fields.push(blob.subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== blob.length) throw new Error('trailing bytes in key blob');
  return fields;
}

/** `type base64 [comment]` → the type and blob, or undefined when it is not a well-formed key line. */
export function parsePublicKeyLine(line: string): PublicKeyLine | undefined {
  const [type, data] = line.trim().split(/\s+/);
  if (!type || !data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return undefined;
  const blob = Buffer.from(data, 'base64');
  try {
    const fields = readStrings(blob);
    if (fields.length === 0 || fields[0].toString() !== type) return undefined;
  } catch {
    return undefined;
  }
  return { type, blob };
}

/** OpenSSH's form: `SHA256:` + unpadded base64 of the blob's SHA-256. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Modulus size of an `ssh-rsa` blob (fields: type, e, n). */
function rsaBits(blob: Buffer): number {
  const modulus = readStrings(blob)[2];
  let start = 0;
  while (start < modulus.length && modulus[start] === 0) start++;
  if (start === modulus.length) return 0;
  return (modulus.length - start - 1) * 8 + (32 - Math.clz32(modulus[start]));
}

/** Why EC2 Instance Connect would refuse this key, or undefined when it accepts it. */
export function pushedKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length < 80 || key.length > 4096) {
    return 'SSHPublicKey must be between 80 and 4096 characters long.';
  }
  // One trailing newline is fine: AWS documents `--ssh-public-key file://key.pub`, which sends the file as ssh-keygen wrote it.
  const line = key.replace(/\r?\n$/, '');
  const parsed = /[\r\n]/.test(line) ? undefined : parsePublicKeyLine(line);
  if (!parsed) return 'The SSH public key is not valid. It must be an OpenSSH public key: "<type> <base64 key> [comment]".';
  if (parsed.type === 'ssh-ed25519') return undefined;
  if (parsed.type === 'ssh-rsa') {
    const bits = rsaBits(parsed.blob);
    return bits >= 2048 && bits <= 4096 ? undefined : `RSA keys must be 2048 to 4096 bits long; this one has ${bits}.`;
  }
  return `Key type ${parsed.type} is not supported. Supported key types are ssh-rsa and ssh-ed25519.`;
}

/**
 * An ed25519 pair from ssh2 that reads back as itself: ssh2 1.17 drops a leading zero byte of about one
 * public key in 256, and such a key cannot be used.
 */
export function ed25519KeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const privateKey = utils.parseKey(pair.private);
    const publicKey = utils.parseKey(pair.public);
    if (!(privateKey instanceof Error) && !(publicKey instanceof Error) && privateKey.getPublicSSH().equals(publicKey.getPublicSSH())) {
      return pair;
    }
  }
}
