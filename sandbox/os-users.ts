// The OS users the instances log in as (ec2-user, ubuntu, admin, …): created on this machine when the
// sandbox runs as root, and removed again when the last sandbox that needs them stops.
//
// Several sandboxes share them (the test runner runs two files at once, each with its own sandbox), so a
// registry under the root run directory says which sandboxes hold which users, and which users a sandbox
// created:
//
//   /run/ec2ic-sandbox/os-users.json   { users: { ec2-user: { created: true }, … }, holders: [{ pid, startTime, runDir, users }] }
//
// It is read and written only under /run/ec2ic-sandbox/os-users.lock (created exclusively, retried while
// another sandbox holds it). A holder whose process is gone (a sandbox killed with SIGKILL) no longer
// counts. When no live holder needs a user any more, it leaves the registry: `userdel -r` (passwd, group,
// shadow, home) if a sandbox created it; a user that existed before (a real `admin` account) is never
// deleted, and gets back the password field the sandbox changed. Users the sandbox creates carry the
// comment (GECOS) `ec2ic-sandbox`, so that one whose registry entry was lost (/run is emptied at boot) is
// still known as the sandbox's own.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { pause, withFileLock, withFileLockSync } from './file-lock';
import { isAlive, signal, startTimeOf } from './processes';
import { sandboxBaseDir } from './run-dir';

export const SANDBOX_USER_COMMENT = 'ec2ic-sandbox';

interface UserEntry {
  /** A sandbox created it (and so deletes it); false: it was there before. */
  created: boolean;
  /** A user that was there before and whose locked password field the sandbox replaced: what to put back. */
  password?: string;
}

interface Holder {
  pid: number;
  startTime: string;
  runDir: string;
  users: string[];
}

interface Registry {
  users: Record<string, UserEntry>;
  holders: Holder[];
}

export function registryFile(): string {
  return join(sandboxBaseDir(), 'os-users.json');
}

function lockFile(): string {
  return join(sandboxBaseDir(), 'os-users.lock');
}

function withLock<T>(action: () => T): Promise<T> {
  return withFileLock(lockFile(), "the sandbox's OS user registry", action);
}

function withLockSync<T>(action: () => T): T {
  return withFileLockSync(lockFile(), "the sandbox's OS user registry", action);
}

// ---- /etc/passwd, /etc/shadow

function fields(file: string, name: string): string[] | undefined {
  const line = readFileSync(file, 'utf8').split('\n').find((candidate) => candidate.startsWith(`${name}:`));
  return line?.split(':');
}

function userExists(name: string): boolean {
  return fields('/etc/passwd', name) !== undefined;
}

function isSandboxMade(name: string): boolean {
  return fields('/etc/passwd', name)?.[4] === SANDBOX_USER_COMMENT;
}

function passwordField(name: string): string | undefined {
  return fields('/etc/shadow', name)?.[1];
}

/** Every user in /etc/passwd with the sandbox's comment. */
function sandboxMadeUsers(): string[] {
  return readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'))
    .filter((entry) => entry[4] === SANDBOX_USER_COMMENT).map((entry) => entry[0]);
}

/** Processes running as the user (a login shell from the serial console, a daemon a session left behind). */
function processesOf(name: string): number[] {
  const uid = fields('/etc/passwd', name)?.[2];
  if (uid === undefined) return [];
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] === uid;
    } catch {
      return false;
    }
  }).map(Number);
}

// ---- the registry

function readRegistry(): Registry {
  try {
    const parsed = JSON.parse(readFileSync(registryFile(), 'utf8')) as Partial<Registry>;
    return { users: parsed.users ?? {}, holders: parsed.holders ?? [] };
  } catch {
    return { users: {}, holders: [] };
  }
}

function writeRegistry(registry: Registry): void {
  if (registry.holders.length === 0 && Object.keys(registry.users).length === 0) {
    rmSync(registryFile(), { force: true });
    return;
  }
  const partial = `${registryFile()}.${process.pid}.tmp`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(registry, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, registryFile());
}

function holderAlive(holder: Holder): boolean {
  return isAlive(holder.pid) && startTimeOf(holder.pid) === holder.startTime;
}

/** What is left to do once the holders are settled: users no live holder needs leave the registry. */
function unneeded(registry: Registry): string[] {
  const needed = new Set(registry.holders.flatMap((holder) => holder.users));
  // A user with the sandbox's comment that the registry does not know: left by a sandbox whose registry was lost.
  const strays = sandboxMadeUsers().filter((name) => !(name in registry.users));
  for (const name of strays) registry.users[name] = { created: true };
  return Object.keys(registry.users).filter((name) => !needed.has(name));
}

// ---- useradd / userdel

// Synchronous, so that the exit path (exit-cleanup.ts) runs the very same steps as stop(). A useradd or
// userdel takes a few milliseconds; they run only while the sandbox starts and stops.
function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Retries while another program holds /etc/passwd's lock; stops as soon as `done()` holds. */
function withRetries(action: () => void, done: () => boolean): void {
  for (let attempt = 0; ; attempt++) {
    if (done()) return;
    try {
      action();
      return;
    } catch (error) {
      if (done()) return;
      if (attempt >= 20) throw error;
      pause(50 + Math.random() * 100);
    }
  }
}

/** Users no live holder needs leave the registry: deleted if a sandbox created them, else given back their password field. */
function settle(registry: Registry, log: (line: string) => void): void {
  for (const name of unneeded(registry)) {
    const entry = registry.users[name];
    try {
      if (entry.created) {
        // The sandbox's sshd and serial sessions have ended; whatever still runs as this user was started by one.
        for (const pid of processesOf(name)) signal(pid, 'SIGKILL');
        withRetries(() => run('userdel', ['-r', name]), () => !userExists(name));
        log(`removed OS user ${name}`);
      } else if (entry.password !== undefined && userExists(name)) {
        withRetries(() => run('usermod', ['-p', entry.password!, name]), () => passwordField(name) === entry.password);
      }
      delete registry.users[name];
    } catch (error) {
      // Stays in the registry: the next sandbox to start or stop tries again.
      log(`could not remove OS user ${name}: ${(error as Error).message}`);
    }
  }
}

function ensure(registry: Registry, name: string, log: (line: string) => void): void {
  if (!userExists(name)) {
    // A group of that name may exist already (Debian has none called admin, other systems do): the user then
    // gets the default group instead of joining that one, so that userdel never takes the group away.
    const group = fields('/etc/group', name) ? ['-N'] : [];
    withRetries(() => run('useradd', ['-m', '-s', '/bin/bash', '-c', SANDBOX_USER_COMMENT, ...group, name]), () => userExists(name));
    registry.users[name] = { created: true };
    log(`created OS user ${name}`);
  } else if (!(name in registry.users)) {
    registry.users[name] = { created: isSandboxMade(name) };
  }
  // sshd without PAM refuses accounts whose password field starts with `!` (locked), even for key logins.
  // `*` cannot match any password, so password logins stay impossible; it just is not "locked".
  const before = passwordField(name);
  if (before?.startsWith('!')) {
    const entry = registry.users[name];
    if (!entry.created && entry.password === undefined) entry.password = before;
    withRetries(() => run('usermod', ['-p', '*', name]), () => !passwordField(name)?.startsWith('!'));
  }
}

/**
 * One sandbox's hold on the OS users its instances need. `acquire` creates the missing ones and records
 * the hold; `release` (or `releaseSync`, on the way out of the process) drops it, and the users go once no
 * live sandbox holds them. A sandbox that needs no users still calls `acquire([])`: that clears what
 * sandboxes killed with SIGKILL left behind.
 */
export class OsUserHold {
  private holder: Holder | undefined;

  constructor(private readonly runDir: string, private readonly log: (line: string) => void = () => undefined) {}

  async acquire(users: Iterable<string>): Promise<void> {
    const wanted = [...new Set(users)];
    const holder: Holder = { pid: process.pid, startTime: startTimeOf(process.pid) ?? '', runDir: this.runDir, users: wanted };
    await withLock(() => {
      const registry = readRegistry();
      registry.holders = registry.holders.filter(holderAlive);
      if (wanted.length > 0) {
        // Recorded with the first user created: a sandbox that dies half-way still has its users removed.
        registry.holders.push(holder);
        this.holder = holder;
      }
      try {
        settle(registry, this.log);
        for (const name of wanted) ensure(registry, name, this.log);
      } finally {
        writeRegistry(registry);
      }
    });
  }

  async release(): Promise<void> {
    const holder = this.holder;
    if (!holder) return;
    this.holder = undefined;
    await withLock(() => this.drop(holder));
  }

  /** The same as release(), synchronously: for process exit and signals (exit-cleanup.ts). */
  releaseSync(): void {
    const holder = this.holder;
    if (!holder) return;
    this.holder = undefined;
    withLockSync(() => this.drop(holder));
  }

  private drop(holder: Holder): void {
    const registry = readRegistry();
    registry.holders = registry.holders.filter((other) => !sameHolder(other, holder) && holderAlive(other));
    try {
      settle(registry, this.log);
    } finally {
      writeRegistry(registry);
    }
  }
}

function sameHolder(a: Holder, b: Holder): boolean {
  return a.pid === b.pid && a.startTime === b.startTime && a.runDir === b.runDir;
}
