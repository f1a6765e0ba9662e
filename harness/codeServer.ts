/**
 * A real VS Code to run the extension in, on machines that cannot download VS Code desktop:
 * code-server (VS Code 1.100 on a Node extension host), installed once into the project's .cache.
 * Used by the end-to-end tests and by `npm start` (the demo).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const codeServerVersion = '4.100.3'; // the newest whose engines.node is 20
export const projectRoot = resolve(__dirname, '..');
export const cacheRoot = join(projectRoot, '.cache');
const installDir = join(cacheRoot, 'code-server');
export const codeServerBin = join(installDir, 'node_modules', '.bin', 'code-server');

function installedVersion(): string | undefined {
  try {
    const pkg = join(installDir, 'node_modules', 'code-server', 'package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Installs code-server into .cache/code-server on first use (about a minute). Its own installer would
 * download ripgrep; it is given Debian's /usr/bin/rg through the cache @vscode/ripgrep looks in first.
 */
export function ensureCodeServer(log: (line: string) => void = console.log): string {
  if (installedVersion() === codeServerVersion && existsSync(codeServerBin)) return codeServerBin;
  if (!existsSync('/usr/bin/rg')) throw new Error('ripgrep is missing: apt-get install ripgrep');
  const rgCache = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(rgCache, { recursive: true });
  const tarball = join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(tarball)) spawnSync('tar', ['-C', '/usr/bin', '-czf', tarball, 'rg'], { stdio: 'inherit' });

  log(`Installing code-server ${codeServerVersion} into ${installDir} (first run only, about a minute)…`);
  mkdirSync(installDir, { recursive: true });
  const result = spawnSync(
    'npm',
    ['install', '--prefix', installDir, '--no-audit', '--no-fund', '--no-save', `code-server@${codeServerVersion}`],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      // code-server's postinstall builds its native modules (node-pty, kerberos…): they must be allowed to run.
      // As root (CI), code-server's postinstall refuses to run without unsafe-perm.
      env: { ...process.env, npm_config_dangerously_allow_all_scripts: 'true', npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
    },
  );
  if (result.status !== 0 || !existsSync(codeServerBin)) {
    throw new Error(`Installing code-server failed (exit ${result.status}). Its build needs libkrb5-dev, python3, make and g++.`);
  }
  return codeServerBin;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface EditorProfile {
  /** user-data-dir, extensions-dir and the folder to open all live under here. */
  dir: string;
  /** settings.json content for the User scope. */
  settings: Record<string, unknown>;
}

/** Quiet defaults so a test or a demo starts on the workbench, not on welcome pages. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  // The DOM renderer keeps terminal text in the page, where tests can read it.
  'terminal.integrated.gpuAcceleration': 'off',
  'window.confirmBeforeClose': 'never',
  'git.openRepositoryInParentFolders': 'never',
};

export function prepareProfile(profile: EditorProfile): { userDataDir: string; extensionsDir: string; folder: string } {
  const userDataDir = join(profile.dir, 'user-data');
  const extensionsDir = join(profile.dir, 'extensions');
  const folder = join(profile.dir, 'workspace');
  for (const dir of [join(userDataDir, 'User'), extensionsDir, folder]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...profile.settings }, null, 2));
  return { userDataDir, extensionsDir, folder };
}

export function installExtension(bin: string, vsix: string, extensionsDir: string): void {
  const result = spawnSync(bin, ['--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`code-server --install-extension failed: ${result.stderr || result.stdout}`);
}

export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  /** Everything it printed, for diagnosis when a test fails. */
  output(): string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: {
  bin: string;
  profile: EditorProfile;
  env: Record<string, string>;
  port?: number;
  host?: string;
}): Promise<RunningCodeServer> {
  const { userDataDir, extensionsDir, folder } = prepareProfile(options.profile);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const configFile = join(options.profile.dir, 'code-server.yaml');
  writeFileSync(configFile, '');
  const args = [
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--config', configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  const child = spawn(options.bin, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() also ends the extension host it spawns
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://${host}:${port}/`;

  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      child.once('exit', () => resolveStop());
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        resolveStop();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000).unref();
    });

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${url}healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, process: child, output: () => output, stop };
}

/** The directory a throwaway editor profile lives in. */
export function profileDir(name: string): string {
  const dir = join(cacheRoot, name);
  mkdirSync(dirname(dir), { recursive: true });
  return dir;
}
