// Keys pushed with SendSSHPublicKey / SendSerialConsoleSSHPublicKey, each accepted for the key window.
// As root, sshd asks an AuthorizedKeysCommand (like the instance package's eic_run_authorized_keys) that
// prints the keys of that instance and OS user whose window is still open. Not root, sshd cannot use a
// command (it must be root-owned), so it reads an authorized_keys file whose lines carry `expiry-time`.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Pushed {
  key: string;
  expiresAt: number;
}

export type KeyTrust = 'command' | 'file';

/**
 * `expiry-time` wants YYYYMMDDHHMMSS (Z: UTC). sshd still accepts the key during that second, so the window
 * ends within a second after `ms`.
 */
function expiryTime(ms: number): string {
  return `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

export class KeyStore {
  windowMs: number;
  private readonly ssh = new Map<string, Pushed[]>();
  private readonly serial = new Map<string, Pushed[]>();
  private readonly keysDir: string;
  private readonly script: string;

  constructor(runDir: string, private readonly trust: KeyTrust, windowSeconds: number) {
    this.windowMs = windowSeconds * 1000;
    this.keysDir = join(runDir, 'keys');
    mkdirSync(this.keysDir, { mode: 0o755 });
    this.script = join(runDir, 'authorized-keys');
    if (trust === 'command') {
      writeFileSync(this.script, [
        '#!/bin/sh',
        '# The sandbox instance\'s AuthorizedKeysCommand: prints the keys pushed for instance $1 and OS user $2',
        '# whose window is still open. Each line of the keys file is "<expiry, ms since epoch> <public key>".',
        'case "$1$2" in */*) exit 0 ;; esac',
        `keys="${this.keysDir}/$1/$2"`,
        '[ -r "$keys" ] || exit 0',
        'exec awk -v now="$(date +%s%3N)" \'$1 + 0 > now + 0 { sub(/^[0-9]+ /, ""); print }\' "$keys"',
        '',
      ].join('\n'), { mode: 0o755 });
      chmodSync(this.script, 0o755);
    }
  }

  /** The sshd_config lines that make an instance's sshd trust exactly its pushed keys. */
  sshdConfig(instanceId: string): string[] {
    if (this.trust === 'command') {
      return [
        'AuthorizedKeysFile none',
        `AuthorizedKeysCommand ${this.script} ${instanceId} %u`,
        'AuthorizedKeysCommandUser nobody',
      ];
    }
    return [`AuthorizedKeysFile ${this.keysDir}/${instanceId}/%u`];
  }

  pushSsh(instanceId: string, osUser: string, key: string): void {
    const id = `${instanceId}/${osUser}`;
    const list = this.fresh(this.ssh, id);
    list.push({ key: key.trim(), expiresAt: Date.now() + this.windowMs });
    this.ssh.set(id, list);
    const lines = list.map(({ key: line, expiresAt }) =>
      this.trust === 'command' ? `${expiresAt} ${line}` : `expiry-time="${expiryTime(expiresAt)}" ${line}`);
    const dir = join(this.keysDir, instanceId);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    // Written whole then renamed, so sshd never reads a half-written file.
    const temporary = join(dir, `.${osUser}.tmp`);
    writeFileSync(temporary, `${lines.join('\n')}\n`, { mode: 0o644 });
    renameSync(temporary, join(dir, osUser));
  }

  pushSerial(instanceId: string, key: string): void {
    const list = this.fresh(this.serial, instanceId);
    list.push({ key: key.trim(), expiresAt: Date.now() + this.windowMs });
    this.serial.set(instanceId, list);
  }

  serialKeys(instanceId: string): string[] {
    return this.fresh(this.serial, instanceId).map(({ key }) => key);
  }

  private fresh(map: Map<string, Pushed[]>, id: string): Pushed[] {
    const now = Date.now();
    return (map.get(id) ?? []).filter(({ expiresAt }) => expiresAt > now);
  }
}
