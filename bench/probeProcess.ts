/**
 * Runs bench/sessionProbe.ts as a plain Node process (bundled like the extension, without tsx, whose
 * compiler would add to the memory measured) and sends it requests one at a time.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { buildSync } from 'esbuild';

import type { Request } from './sessionProbe';

const root = join(__dirname, '..');

export interface Probe {
  request<T>(request: Request): Promise<T>;
  /** The probe's pid, for reading its memory from outside. */
  pid: number;
  exit(): Promise<void>;
}

/**
 * Bundles the probe into `dir` and starts it; the core it loads is dist/core.js. `nodeArgs` go to node:
 * --expose-gc for the memory figure, or --cpu-prof / --heap-prof to find where a figure's time goes.
 */
export function startProbe(dir: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Probe {
  const file = join(dir, 'sessionProbe.js');
  buildSync({ entryPoints: [join(__dirname, 'sessionProbe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: file, external: ['vscode', 'cpu-features', '*.node'], logLevel: 'error' });
  const child = spawn(process.execPath, ['--no-warnings', ...nodeArgs, file], {
    cwd: root,
    env: { ...env, EC2IC_CORE: join(root, 'dist', 'core.js') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((line: string) => void)[] = [];
  // A probe that died is reported by the exit handler below, not as a write error.
  child.stdin.on('error', () => {});
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const waiter of waiting.splice(0)) waiter(JSON.stringify({ error: `the probe exited with ${code}` }));
  });
  return {
    pid: child.pid ?? 0,
    request<T>(request: Request): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push((line) => {
          const answer = JSON.parse(line) as { ok?: T; error?: string };
          if (answer.error !== undefined) reject(new Error(`probe ${request.op}: ${answer.error}`));
          else resolve(answer.ok as T);
        });
        child.stdin.write(`${JSON.stringify(request)}\n`);
      });
    },
    async exit() {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end();
      await exited;
    },
  };
}
