// `npm run sandbox -- [--manifest FILE] [--instances N] [--regions R] [--key-window S] [--transition S] [--no-ssh] [--verbose]`
// Starts the sandbox, prints what it started and how to point the extension or the AWS CLI at it, and
// stops everything on Ctrl-C or SIGTERM.
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { type SandboxOptions, startSandbox } from './index';
import { firstRegions } from './regions';

const USAGE = `usage: npm run sandbox -- [options]
  --manifest FILE    write the manifest (endpoint, credentials, instances) as JSON to FILE
  --instances N      add N generated, listing-only instances spread over the regions
  --regions R        use the first R AWS regions (default: us-east-1 and eu-west-1)
  --key-window S     seconds a pushed key is accepted (default 60)
  --transition S     seconds pending/stopping last (default 2)
  --no-ssh           API only: no sshd servers, Windows port 3389 or internal service
  --verbose          print every API call`;

interface Arguments {
  manifest?: string;
  verbose: boolean;
  help: boolean;
  options: SandboxOptions;
}

const OPTIONS = {
  manifest: { type: 'string' },
  instances: { type: 'string' },
  regions: { type: 'string' },
  'key-window': { type: 'string' },
  transition: { type: 'string' },
  'no-ssh': { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** parseArgs' errors, in the words of this usage: the option it is about, and what is wrong with it. */
function argumentProblem(error: Error & { code?: string }): string {
  const named = /'(-[^' ]*)/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `unknown option ${named}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''} (every option starts with --)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return error.message.includes('does not take an argument') ? `${named} takes no value` : `${named} needs a value`;
    default: return error.message;
  }
}

function strictParse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    throw new Error(argumentProblem(error as Error), { cause: error });
  }
}

function parseArguments(argv: string[]): Arguments {
  const { values } = strictParse(argv);
  const number = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const result = Number(value);
    if (value.trim() === '' || !Number.isFinite(result) || result < 0) throw new Error(`--${flag} needs a number, got "${value}"`);
    return result;
  };
  const options: SandboxOptions = {};
  const instances = number('instances', values.instances);
  if (instances !== undefined) options.instances = instances;
  const regions = number('regions', values.regions);
  if (regions !== undefined) options.regions = firstRegions(regions);
  const keyWindow = number('key-window', values['key-window']);
  if (keyWindow !== undefined) options.keyWindowSeconds = keyWindow;
  const transition = number('transition', values.transition);
  if (transition !== undefined) options.transitionSeconds = transition;
  if (values['no-ssh']) options.ssh = false;
  if (values.manifest === '') throw new Error('--manifest needs a file name');
  return { manifest: values.manifest, verbose: values.verbose ?? false, help: values.help ?? false, options };
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
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
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
    ['NAME', 'INSTANCE ID', 'REGION', 'STATE', 'USER', 'SSH / RDP'],
    ...manifest.instances.map((instance) => [
      instance.name, instance.instanceId, instance.region, instance.state, instance.osUser,
      instance.rdp ? `${instance.rdp.host}:${instance.rdp.port}` : instance.host && !instance.platform && args.options.ssh !== false ? `${instance.host}:${instance.port}` : '-',
    ]),
  ]));
  if (generated > 0) console.log(`  … and ${generated} generated instances (listing only, no sshd)`);
  for (const service of manifest.internalServices) {
    console.log(`\n  ${service.name}  http://${service.host}:${service.port}/  (${service.dnsName}): only from an instance of ${service.vpcId}, e.g. ssh -L`);
  }
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
