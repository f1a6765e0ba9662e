// The OS users the instances log in as (ec2-user, ubuntu, admin, …), created on this machine when the
// sandbox runs as root. Several sandboxes may start at once, so useradd's lock contention is retried.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

function entry(file: '/etc/passwd' | '/etc/group', name: string): string | undefined {
  return readFileSync(file, 'utf8').split('\n').find((line) => line.startsWith(`${name}:`));
}

/** sshd without PAM refuses accounts whose password field starts with `!` (locked), even for key logins. */
function isLocked(user: string): boolean {
  const entry = readFileSync('/etc/shadow', 'utf8').split('\n').find((line) => line.startsWith(`${user}:`));
  return entry?.split(':')[1].startsWith('!') ?? false;
}

async function withRetries(action: () => Promise<void>, done: () => boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (done()) return;
    try {
      await action();
      return;
    } catch (error) {
      if (done()) return;
      if (attempt >= 20) throw error;
      // Another process holds /etc/passwd's lock: wait for it.
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
}

export async function ensureOsUsers(users: Iterable<string>): Promise<void> {
  for (const user of new Set(users)) {
    // A group of that name may exist already (Debian has none called admin, other systems do): join it.
    const group = entry('/etc/group', user) ? ['-g', user] : [];
    await withRetries(() => run('useradd', ['-m', '-s', '/bin/bash', ...group, user]).then(() => undefined), () => entry('/etc/passwd', user) !== undefined);
    // `*` cannot match any password, so password logins stay impossible; it just is not "locked".
    await withRetries(() => run('usermod', ['-p', '*', user]).then(() => undefined), () => !isLocked(user));
  }
}
