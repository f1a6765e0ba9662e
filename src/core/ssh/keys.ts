import { randomBytes } from 'node:crypto';

import { utils } from 'ssh2';

import type { KeyTypeSetting } from '../base/settings';

export type KeyType = 'ed25519' | 'rsa';

/** A one-time key pair. It lives in memory only: never written to disk, never logged. */
export interface KeyPair {
  type: KeyType;
  /** OpenSSH PEM, what ssh2 reads. */
  privateKey: string;
  /** `ssh-ed25519 AAAA… ec2-instance-connect`, what SendSSHPublicKey takes. */
  publicKey: string;
}

type RawKeyPair = { private: string; public: string };

/** A malformed key comes once in 256 (see isWellFormed): eight in a row mean something else is broken. */
const maxAttempts = 8;

/** The comment also keeps an ed25519 line above the API's 80-character minimum, which a bare one just meets. */
const keyComment = 'ec2-instance-connect';

function generateWithSsh2(type: KeyType): RawKeyPair {
  return type === 'rsa'
    ? utils.generateKeyPairSync('rsa', { bits: 2048, comment: keyComment })
    : utils.generateKeyPairSync('ed25519', { comment: keyComment });
}

/**
 * Whether ssh2 can read back the pair it generated, both halves describing the same key. ssh2 1.17's
 * generator strips leading zero bytes from an ed25519 public key, so about one key in 256 comes out
 * with a 31-byte key that neither ssh2 nor the instance accepts.
 */
export function isWellFormed(pair: RawKeyPair): boolean {
  const privateKey = utils.parseKey(pair.private);
  const publicKey = utils.parseKey(pair.public);
  if (privateKey instanceof Error || publicKey instanceof Error) return false;
  return privateKey.getPublicSSH().equals(publicKey.getPublicSSH());
}

/** Signs random data with the private key and verifies it with the public one, as an SSH login would. */
export function signsAndVerifies(pair: RawKeyPair): boolean {
  try {
    const privateKey = utils.parseKey(pair.private);
    const publicKey = utils.parseKey(pair.public);
    if (privateKey instanceof Error || publicKey instanceof Error) return false;
    const data = randomBytes(32);
    // ssh2 returns an Error (rather than throwing) when the runtime's crypto cannot sign.
    const signature: unknown = privateKey.sign(data);
    return Buffer.isBuffer(signature) && publicKey.verify(data, signature) === true;
  } catch {
    return false;
  }
}

/** The checks SendSSHPublicKey applies to the key, so that a bad key fails here with a clear cause. */
export function checkPublicKeyLine(line: string): void {
  if (line.length < 80 || line.length > 4096) {
    throw new Error(`The generated public key is ${line.length} characters long; EC2 Instance Connect takes 80 to 4096.`);
  }
  if (!/^ssh-(ed25519|rsa) /.test(line)) {
    throw new Error('The generated public key is neither ssh-ed25519 nor ssh-rsa, the types EC2 Instance Connect takes.');
  }
}

export interface KeyFactoryOptions {
  generate?: (type: KeyType) => RawKeyPair;
  /** The runtime self-test; replaceable so the RSA fallback can be tested on a runtime that signs ed25519 fine. */
  selfTest?: (pair: RawKeyPair) => boolean;
  /** Told once when the self-test fails and RSA-2048 is used instead. */
  onFallback?: () => void;
}

/**
 * Makes the fresh key of each connection. `auto` runs a one-time self-test (sign and verify) of ed25519,
 * because some runtimes (Electron's BoringSSL in the past) generate ed25519 keys they cannot sign with;
 * those get RSA-2048. `ed25519` and `rsa` are taken as the user's explicit choice, without the test.
 */
export class KeyFactory {
  private ed25519Works: boolean | undefined;
  private readonly generateRaw: (type: KeyType) => RawKeyPair;
  private readonly selfTest: (pair: RawKeyPair) => boolean;

  constructor(private readonly options: KeyFactoryOptions = {}) {
    this.generateRaw = options.generate ?? generateWithSsh2;
    this.selfTest = options.selfTest ?? signsAndVerifies;
  }

  /** The type `auto` resolves to on this runtime (runs the self-test the first time). */
  autoType(): KeyType {
    if (this.ed25519Works === undefined) {
      this.ed25519Works = this.selfTest(this.wellFormed('ed25519'));
      if (!this.ed25519Works) this.options.onFallback?.();
    }
    return this.ed25519Works ? 'ed25519' : 'rsa';
  }

  generate(setting: KeyTypeSetting = 'auto'): KeyPair {
    const type = setting === 'auto' ? this.autoType() : setting;
    const raw = this.wellFormed(type);
    checkPublicKeyLine(raw.public);
    return { type, privateKey: raw.private, publicKey: raw.public };
  }

  /** A pair ssh2 can read back: malformed ones (see isWellFormed) are generated again. */
  private wellFormed(type: KeyType): RawKeyPair {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const raw = this.generateRaw(type);
      if (isWellFormed(raw)) return raw;
    }
    throw new Error(`Could not generate a well-formed ${type} key in ${maxAttempts} attempts.`);
  }
}
