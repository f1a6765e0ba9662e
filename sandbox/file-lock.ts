// A lock between sandboxes (and the processes that outlive them): a file created exclusively, holding its
// owner's pid and start time, so that a lock left by a process killed with SIGKILL is recognised and removed.
// Several sandboxes run at once (parallel test files, other worktrees) and share the OS user registry and
// /etc/hosts, which are read and rewritten whole.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

import { isAlive, startTimeOf } from './processes';

const LOCK_TIMEOUT_MS = 30_000;

interface LockOwner {
  pid: number;
  startTime: string | undefined;
  text: string;
}

function lockOwner(file: string): LockOwner | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const [pid, startTime] = text.trim().split(' ');
    return { pid: Number(pid), startTime, text };
  } catch {
    return undefined;
  }
}

/** One attempt: true when this process now holds the lock. Removes a lock whose owner is gone. */
function tryLock(file: string): boolean {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${process.pid} ${startTimeOf(process.pid)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = lockOwner(file);
  if (!owner) return false; // released meanwhile: try again
  const gone = !isAlive(owner.pid) || startTimeOf(owner.pid) !== owner.startTime;
  // Best effort against two sandboxes removing the same stale lock: only if it still is the one seen.
  if (gone && lockOwner(file)?.text === owner.text) rmSync(file, { force: true });
  return false;
}

function lockProblem(file: string, what: string): Error {
  return new Error(`${what} stayed locked for ${LOCK_TIMEOUT_MS / 1000} s (${file}, held by pid ${lockOwner(file)?.pid ?? '?'})`);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Waits for the lock without blocking the event loop; the locked section itself is synchronous. */
export async function withFileLock<T>(file: string, what: string, action: () => T): Promise<T> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  while (!tryLock(file)) {
    if (Date.now() > deadline) throw lockProblem(file, what);
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
  }
  try {
    return action();
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * The same, blocking: on the way out of the process. The locked sections are synchronous, so this process
 * never holds the lock when it gets here, even if it was told to exit while waiting for it.
 */
export function withFileLockSync<T>(file: string, what: string, action: () => T): T {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  while (!tryLock(file)) {
    if (Date.now() > deadline) throw lockProblem(file, what);
    pause(10 + Math.random() * 40);
  }
  try {
    return action();
  } finally {
    rmSync(file, { force: true });
  }
}
