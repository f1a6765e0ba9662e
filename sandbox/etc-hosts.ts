// As root, the Instance Connect Endpoints' DNS names resolve as AWS's do, through lines the sandbox adds to
// /etc/hosts (to the endpoint's own loopback address) and removes when it stops. Each line ends with a mark
// naming the run directory that owns it, so lines left by a sandbox killed with SIGKILL (whose run directory
// the next sandbox removes, run-dir.ts) are recognised and removed too.
//
// Several sandboxes edit the file at once, so every change is a read and rewrite under a lock. The file is
// rewritten in place, not renamed over: in a container /etc/hosts is a bind mount, which rename cannot replace.
// It is written over from the start and only then cut to length (not truncated first): a lookup that reads it
// meanwhile (another sandbox's test resolving an endpoint) never finds it empty.
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { withFileLockSync } from './file-lock';
import { sandboxBaseDir } from './run-dir';

const HOSTS_FILE = '/etc/hosts';
const MARK = '# ec2ic-sandbox';

export interface HostsEntry {
  address: string;
  names: string[];
}

function ownerOf(line: string): string | undefined {
  const at = line.indexOf(` ${MARK} `);
  return at < 0 ? undefined : line.slice(at + MARK.length + 2).trim();
}

/** Rewrites /etc/hosts without the sandbox lines `drop` picks, and with `add` at the end. */
function edit(drop: (line: string, owner: string) => boolean, add: string[] = []): void {
  withFileLockSync(join(sandboxBaseDir(), 'hosts.lock'), '/etc/hosts', () => {
    const before = readFileSync(HOSTS_FILE, 'utf8');
    const kept = before.split('\n').filter((line) => {
      const owner = ownerOf(line);
      return owner === undefined || !drop(line, owner);
    });
    while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
    const after = `${[...kept, ...add].join('\n')}\n`;
    if (after !== before) rewriteInPlace(HOSTS_FILE, after);
  });
}

function rewriteInPlace(file: string, text: string): void {
  const bytes = Buffer.from(text);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, 0);
    ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}

const namesOf = (line: string): string[] => line.split(' # ')[0].trim().split(/\s+/).slice(1);

/** Makes `entry.names` resolve to `entry.address`, in lines owned by `runDir`. */
export function addHostsEntry(runDir: string, entry: HostsEntry): void {
  edit((line, owner) => owner === runDir && namesOf(line).some((name) => entry.names.includes(name)),
    [`${entry.address} ${entry.names.join(' ')} ${MARK} ${runDir}`]);
}

/** Removes the lines of `runDir` for these names, or all its lines. */
export function removeHostsEntries(runDir: string, names?: string[]): void {
  edit((line, owner) => owner === runDir && (names === undefined || namesOf(line).some((name) => names.includes(name))));
}

/** Removes the lines of sandboxes that are gone: their run directory no longer exists. */
export function removeStaleHostsEntries(): void {
  if (!readFileSync(HOSTS_FILE, 'utf8').includes(MARK)) return;
  edit((_line, owner) => !existsSync(owner));
}
