// Process-tree helpers over /proc: sshd forks a process per connection, and those outlive the listener
// unless they are killed too.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

interface ProcStat {
  /** R, S, D, Z (zombie: exited, waiting for its parent to collect it), … */
  state: string;
  ppid: number;
  /** Clock ticks after boot: with the pid, identifies a process even when pids are reused. */
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: parse after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

export function startTimeOf(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Every process under each of `pids` (children, grandchildren, …, deepest last), from one look at /proc. */
export function descendantsOfEach(pids: number[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(name));
    children.set(stat.ppid, list);
  }
  return new Map(pids.map((pid) => {
    const found: number[] = [];
    const queue = [...(children.get(pid) ?? [])];
    while (queue.length > 0) {
      const next = queue.shift()!;
      found.push(next);
      queue.push(...(children.get(next) ?? []));
    }
    return [pid, found];
  }));
}

/** Every process under `pid` (children, grandchildren, …), deepest last. */
export function descendantsOf(pid: number): number[] {
  return descendantsOfEach([pid]).get(pid)!;
}

/** The processes `pid` started that still run (a connection's process under an sshd listener, say). */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((candidate) => {
    const stat = readStat(candidate);
    return stat?.ppid === pid && stat.state !== 'Z';
  });
}

/** Which of these processes hold the socket with this inode (/proc/net/tcp's) open. */
export function socketHolders(inode: number, among: number[]): number[] {
  const link = `socket:[${inode}]`;
  return among.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === link;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone: nothing to do.
  }
}

/** Whether the process still runs (a zombie has exited: it holds no sockets or files any more). */
function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Resolves once none of these processes runs, or after `timeoutMs`. */
export async function waitUntilGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
