import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';

/** A lock is held for one read-modify-write of a small file: milliseconds. One older than this was left by a process that died. */
const staleAfterMs = 30_000;
/** How long to wait for another process's lock before giving up with a message that names the file. */
const waitLimitMs = 15_000;

/**
 * Runs `action` while holding `<path>.lock`, a file created exclusively (O_EXCL) that names its owner
 * (host and pid), so that read-modify-write updates of a file from several processes do not undo each other.
 * A lock whose owner is gone (its pid no longer runs on this host) or that is older than any update can take
 * is removed: a process killed in the middle of an update does not lock the file for good.
 */
export async function withFileLock<T>(path: string, action: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + waitLimitMs;
  while (!(await tryLock(lock))) {
    if (Date.now() > deadline) {
      throw new Error(`${path} stayed locked by another ec2ic process for ${waitLimitMs / 1000} s. If no other ec2ic is running, delete ${lock}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  try {
    return await action();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

const owner = () => `${process.pid} ${hostname()} ${Date.now()}\n`;

async function tryLock(lock: string): Promise<boolean> {
  try {
    await fs.writeFile(lock, owner(), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const seen = await lockText(lock);
  if (seen === undefined) return false; // released meanwhile: try again
  // Only the lock seen is removed, not one another process has taken since (best effort: the window is tiny).
  if ((await isStale(lock, seen)) && (await lockText(lock)) === seen) await fs.rm(lock, { force: true });
  return false;
}

async function lockText(lock: string): Promise<string | undefined> {
  try {
    return await fs.readFile(lock, 'utf8');
  } catch {
    return undefined;
  }
}

async function isStale(lock: string, text: string): Promise<boolean> {
  const [pid, host] = text.trim().split(' ');
  if (host === hostname() && /^\d+$/.test(pid) && !isRunning(Number(pid))) return true;
  try {
    return Date.now() - (await fs.stat(lock)).mtimeMs > staleAfterMs;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
