// `npm run sandbox -- [--manifest FILE] [--instances N] [--regions R] [--key-window S] [--transition S] [--no-ssh] [--verbose]`
// Starts the sandbox, prints what it started and how to point the extension or the AWS CLI at it, and
// stops everything on Ctrl-C or SIGTERM.
import { renameSync, writeFileSync } from 'node:fs';
import { firstRegions } from './regions';
import { SandboxOptions, startSandbox } from './index';

const USAGE = `usage: npm run sandbox -- [options]
  --manifest FILE    write the manifest (endpoint, credentials, instances) as JSON to FILE
  --instances N      add N generated, listing-only instances spread over the regions
  --regions R        use the first R AWS regions (default: us-east-1 and eu-west-1)
  --key-window S     seconds a pushed key is accepted (default 60)
  --transition S     seconds pending/stopping last (default 2)
  --no-ssh           API only: no sshd servers
  --verbose          print every API call`;

interface Arguments {
  manifest?: string;
  verbose: boolean;
  options: SandboxOptions;
}

function parseArguments(argv: string[]): Arguments {
  const parsed: Arguments = { verbose: false, options: {} };
  const number = (flag: string, value: string | undefined): number => {
    const result = Number(value);
    if (value === undefined || !Number.isFinite(result) || result < 0) throw new Error(`${flag} needs a number`);
    return result;
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = (): string | undefined => argv[++index];
    switch (flag) {
      case '--manifest': {
        parsed.manifest = value();
        if (!parsed.manifest) throw new Error('--manifest needs a file name');
        break;
      }
      case '--instances': parsed.options.instances = number(flag, value()); break;
      case '--regions': parsed.options.regions = firstRegions(number(flag, value())); break;
      case '--key-window': parsed.options.keyWindowSeconds = number(flag, value()); break;
      case '--transition': parsed.options.transitionSeconds = number(flag, value()); break;
      case '--no-ssh': parsed.options.ssh = false; break;
      case '--verbose': parsed.verbose = true; break;
      case '--help': case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return parsed;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()}`).join('\n');
}

async function main(): Promise<void> {
  let args: Arguments;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const sandbox = await startSandbox({ ...args.options, log: args.verbose ? (line) => console.log(`· ${line}`) : undefined });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox…`);
    sandbox.stop().then(() => process.exit(0), (error: Error) => {
      console.error(error);
      process.exit(1);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);

  const manifest = sandbox.manifest;
  const { port } = manifest.instances.find((instance) => instance.host) ?? { port: 22 };
  const generated = args.options.instances ?? 0;
  console.log(`EC2 Instance Connect sandbox\n`);
  console.log(`  endpoint        ${manifest.endpoint}   regions: ${manifest.regions.join(', ')}`);
  console.log(`  serial console  ${manifest.serialConsole.host}:${manifest.serialConsole.port}   ${manifest.serialConsole.fingerprint}`);
  console.log(`  run directory   ${sandbox.runDir}   (sshd configs and logs)\n`);
  console.log(table([
    ['NAME', 'INSTANCE ID', 'REGION', 'STATE', 'USER', 'SSH'],
    ...manifest.instances.map((instance) => [
      instance.name, instance.instanceId, instance.region, instance.state, instance.osUser,
      instance.host && !instance.platform && args.options.ssh !== false ? `${instance.host}:${instance.port}` : '-',
    ]),
  ]));
  if (generated > 0) console.log(`  … and ${generated} generated instances (listing only, no sshd)`);
  console.log(`
Point the AWS CLI or SDK at it (these credentials exist only in this sandbox run):
${Object.entries(sandbox.env).map(([name, value]) => `  export ${name}=${value}`).join('\n')}

Point the extension at it (settings.json), with those credentials in the environment VS Code starts from:
  "ec2InstanceConnect.endpoint": "${manifest.endpoint}",${port !== 22 ? `\n  "ec2InstanceConnect.port": ${port},` : ''}
  "ec2InstanceConnect.serialConsole.endpoint": "${manifest.serialConsole.host}",
  "ec2InstanceConnect.serialConsole.port": ${manifest.serialConsole.port},
  "ec2InstanceConnect.serialConsole.fingerprint": "${manifest.serialConsole.fingerprint}"

Serial console login: the instance's user, password "sandbox".`);
  if (args.manifest) {
    // Whole or not at all: scripts poll for this file and parse it as soon as it appears.
    const partial = `${args.manifest}.${process.pid}.tmp`;
    writeFileSync(partial, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    renameSync(partial, args.manifest);
    console.log(`Manifest written to ${args.manifest}`);
  }
  console.log('Ctrl-C stops the sandbox and every sshd it started.');
}

main().catch((error: Error) => {
  console.error(`sandbox failed to start: ${error.message}`);
  process.exit(1);
});
