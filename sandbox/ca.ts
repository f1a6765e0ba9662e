// The certificate authority behind the Instance Connect Endpoints' TLS: created once at a stable path and
// reused by every run, because a client reads its extra CAs when its process starts (Node's
// NODE_EXTRA_CA_CERTS, a system store after update-ca-certificates), before any sandbox is running. Each
// endpoint gets a fresh leaf certificate for its DNS names when it starts, signed by this CA.
//
// `tsx sandbox/ca.ts` creates it if missing and prints its path, for scripts that set NODE_EXTRA_CA_CERTS.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { pause } from './file-lock';

const CA_FILE = 'ca.pem';
const CA_KEY_FILE = 'ca-key.pem';
/** How long a sandbox waits for another one that is creating the CA at the same moment. */
const CREATION_WAIT_MS = 10_000;

/** Extensions for openssl: the CA may only sign; a leaf only serves TLS (what strict TLS stacks require). */
const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = ec2ic-sandbox
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
`;

/** As root `/var/lib/ec2ic-sandbox`, otherwise `${XDG_CACHE_HOME:-~/.cache}/ec2ic-sandbox`: kept across runs and reboots. */
export function sandboxCaDir(): string {
  if (process.getuid?.() === 0) return '/var/lib/ec2ic-sandbox';
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ec2ic-sandbox');
}

function openssl(dir: string, args: string[]): void {
  const config = join(dir, 'openssl.cnf');
  if (!existsSync(config)) writeFileSync(config, OPENSSL_CONFIG);
  execFileSync('openssl', ['req', '-x509', '-config', config, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Links `from` to `to`; false when `to` is already there (another sandbox won). */
function linkInto(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The CA's certificate (PEM), created if missing; returns its path. Two sandboxes starting at once each make
 * one in a directory of their own and link it into place, key first: the one whose key link wins links its
 * certificate too, the other waits for that certificate and uses the pair that won.
 */
export function sandboxCaFile(): string {
  const dir = sandboxCaDir();
  const certFile = join(dir, CA_FILE);
  const keyFile = join(dir, CA_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) return certFile;
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!existsSync(keyFile)) {
    const work = mkdtempSync(join(dir, 'new-'));
    try {
      openssl(work, ['-extensions', 'ca', '-keyout', join(work, CA_KEY_FILE), '-out', join(work, CA_FILE), '-days', '3650',
        '-subj', `/O=ec2ic-sandbox/CN=ec2ic sandbox CA ${new Date().toISOString().slice(0, 10)}`]);
      if (linkInto(join(work, CA_KEY_FILE), keyFile)) linkInto(join(work, CA_FILE), certFile);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const deadline = Date.now() + CREATION_WAIT_MS;
  while (!existsSync(certFile)) {
    if (Date.now() > deadline) throw new Error(`${keyFile} exists but ${certFile} never appeared: remove both to make a new CA`);
    pause(20);
  }
  return certFile;
}

export interface TlsIdentity {
  key: string;
  cert: string;
}

/** A leaf certificate for `names` (its subject: the first label of the first, as a CN holds at most 64 characters), signed by the CA; its files go in `dir`. */
export function leafCertificate(names: string[], dir: string): TlsIdentity {
  const caFile = sandboxCaFile();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const keyFile = join(dir, 'tls-key.pem');
  const certFile = join(dir, 'tls.pem');
  openssl(dir, ['-extensions', 'leaf', '-CA', caFile, '-CAkey', join(sandboxCaDir(), CA_KEY_FILE),
    '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/O=ec2ic-sandbox/CN=${names[0].split('.')[0]}`,
    '-addext', `subjectAltName=${names.map((name) => `DNS:${name}`).join(',')}`]);
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

if (require.main === module) console.log(sandboxCaFile());
