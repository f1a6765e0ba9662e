// The sandbox's private directory: sshd configs, host keys, pushed keys, the AuthorizedKeysCommand script, logs.
// sshd refuses an AuthorizedKeysCommand with a group/world-writable directory on its path, so this lives
// under /run (as root) rather than /tmp. Each run records its owner so a later run can clean up after one
// that was killed with SIGKILL.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { commandLineOf, descendantsOf, isAlive, signal, startTimeOf } from './processes';

const OWNER_FILE = 'owner';

/** Where every sandbox's run directory lives, and (as root) the OS user registry (os-users.ts). */
export function sandboxBaseDir(): string {
  return process.getuid?.() === 0 ? '/run/ec2ic-sandbox' : join(homedir(), '.cache', 'ec2ic-sandbox');
}

function ownerAlive(dir: string): boolean {
  try {
    const [pid, startTime] = readFileSync(join(dir, OWNER_FILE), 'utf8').trim().split(' ');
    return isAlive(Number(pid)) && startTimeOf(Number(pid)) === startTime;
  } catch {
    // No owner file: a run still being created, or one from a crash during creation. Leave it alone.
    return true;
  }
}

/** sshd pid files of a run: `<dir>/instances/<id>/sshd.pid`. */
function sshdPidsIn(dir: string): number[] {
  const instances = join(dir, 'instances');
  if (!existsSync(instances)) return [];
  return readdirSync(instances).flatMap((id) => {
    try {
      return [Number(readFileSync(join(instances, id, 'sshd.pid'), 'utf8').trim())];
    } catch {
      return [];
    }
  });
}

/** Kills the sshd processes of runs whose owner is gone, and removes their directories. */
export function reapStaleRuns(log: (line: string) => void): void {
  const base = sandboxBaseDir();
  if (!existsSync(base)) return;
  for (const name of readdirSync(base).filter((entry) => entry.startsWith('run-'))) {
    const dir = join(base, name);
    if (ownerAlive(dir)) continue;
    for (const pid of sshdPidsIn(dir)) {
      // Only an sshd started with this run's config: the pid may have been reused since.
      if (!commandLineOf(pid).includes(dir)) continue;
      for (const child of descendantsOf(pid)) signal(child, 'SIGKILL');
      signal(pid, 'SIGKILL');
      log(`reaped sshd ${pid} left by an earlier sandbox in ${dir}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export function createRunDir(): string {
  const base = sandboxBaseDir();
  mkdirSync(base, { recursive: true, mode: 0o755 });
  chmodSync(base, 0o755);
  const dir = mkdtempSync(join(base, 'run-'));
  // The AuthorizedKeysCommand runs as `nobody` and reads pushed keys from here.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, OWNER_FILE), `${process.pid} ${startTimeOf(process.pid)}\n`);
  return dir;
}
