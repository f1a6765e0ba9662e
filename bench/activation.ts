/**
 * activation: what a user pays when the extension starts. Bundle sizes, the .vsix size, and the time to
 * require the entry bundle and run activate() in a fresh Node process (median of 20), against the same
 * with the heavy core loaded eagerly (the peer: the extension without the split). Also proves that
 * neither the AWS SDK, ssh2 nor the commands' bundle (dist/commands.js, loaded by a command's first run) loads
 * during activation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildSync } from 'esbuild';

import { type Figure, figure, single } from './stats';

const root = join(__dirname, '..');

interface Probe {
  ms: number;
  coreLoaded: boolean;
  commandsLoaded: boolean;
  sdkOrSsh2Loaded: boolean;
}

/**
 * The probe bundled and run by plain node, as the extension host runs the extension: under tsx, its module
 * hooks (a worker thread answering every require) took more time than activation itself.
 */
function bundleProbe(dir: string): string {
  const file = join(dir, 'activationProbe.js');
  buildSync({ entryPoints: [join(__dirname, 'activationProbe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: file, logLevel: 'error' });
  return file;
}

function probe(file: string, eager: boolean): Probe {
  const out = execFileSync(process.execPath, [file, ...(eager ? ['--eager'] : [])], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out) as Probe;
}

const kb = (file: string) => statSync(join(root, file)).size / 1024;

export async function activationBenchmark(runs = 20): Promise<Figure[]> {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'ignore' }); // production bundles + .vsix
  const ours: number[] = [];
  const eager: number[] = [];
  let heavyLoaded = false;
  let commandsLoaded = false;
  const dir = mkdtempSync(join(tmpdir(), 'ec2ic-bench-activation-'));
  try {
    const file = bundleProbe(dir);
    for (let i = 0; i < runs; i++) {
      const lazy = probe(file, false);
      heavyLoaded ||= lazy.coreLoaded || lazy.sdkOrSsh2Loaded;
      commandsLoaded ||= lazy.commandsLoaded;
      ours.push(lazy.ms);
      eager.push(probe(file, true).ms);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const activate = figure('activation.activateMs', 'ms', ours, { name: 'core loaded eagerly', values: eager });
  activate.target = { text: "≤ 20 ms; AWS SDK, ssh2 and the commands' bundle not loaded", met: activate.ours.median <= 20 && !heavyLoaded && !commandsLoaded };
  activate.note = heavyLoaded
    ? 'the heavy core loaded during activation'
    : commandsLoaded
      ? 'dist/commands.js loaded during activate() (neither dist/core.js, the AWS SDK nor ssh2 did)'
      : 'neither dist/commands.js, dist/core.js, the AWS SDK nor ssh2 loaded during activate()';

  const entry: Figure = { name: 'activation.entryBundleKB', unit: 'KB', ours: single(kb('dist/extension.js')), target: { text: '≤ 100 KB', met: kb('dist/extension.js') <= 100 } };
  const bundles = ['dist/extension.js', 'dist/commands.js', 'dist/core.js', 'dist/proxy.js', 'dist/cli.js'].reduce((sum, file) => sum + kb(file), 0);
  const all: Figure = { name: 'activation.allBundlesKB', unit: 'KB', ours: single(bundles) };
  const vsix: Figure = { name: 'activation.vsixKB', unit: 'KB', ours: single(kb('ec2-instance-connect.vsix')), target: { text: '≤ 1024 KB', met: kb('ec2-instance-connect.vsix') <= 1024 } };
  return [activate, entry, all, vsix];
}
