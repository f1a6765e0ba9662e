// The Debian packages the tests and the demo need, installed with apt-get when running as root,
// otherwise named in a message. Usage: node scripts/system-deps.mjs [unit|integration|sandbox|e2e|start …] (default: all)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** package → a file that shows it is installed */
const packages = {
  'openssh-server': '/usr/sbin/sshd', // the sandbox's instances
  'openssh-client': '/usr/bin/ssh', // Remote-SSH handoff tests and the peer in benchmarks
  chromium: '/usr/bin/chromium', // end-to-end tests drive code-server with it
  ripgrep: '/usr/bin/rg', // code-server's search; its installer would download rg otherwise
  'libkrb5-dev': '/usr/include/krb5.h', // builds code-server's native kerberos module
  openssl: '/usr/bin/openssl', // the sandbox's CA and its Instance Connect Endpoints' certificates
};

/** What each test suite, and the demo, needs on the machine. Unit tests need Node.js alone. */
const needs = {
  unit: [],
  integration: ['openssh-server', 'openssh-client', 'openssl'],
  sandbox: ['openssh-server', 'openssh-client', 'openssl'],
  e2e: ['openssh-server', 'openssh-client', 'openssl', 'chromium', 'ripgrep', 'libkrb5-dev'],
  start: ['openssh-server', 'openssh-client', 'openssl', 'ripgrep', 'libkrb5-dev'],
};

/** Installs (as root) or names the Debian packages that `purposes` need. */
export function ensureSystemPackages(...purposes) {
  const missing = [...new Set(purposes.flatMap((purpose) => needs[purpose]))].filter((name) => !existsSync(packages[name]));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`Missing system packages: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureSystemPackages(...(process.argv.length > 2 ? process.argv.slice(2) : Object.keys(needs)));
}
