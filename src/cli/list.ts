import { type Ec2Instance, type InstanceState, instanceStates } from '../core/aws/model';
import type { AwsProfile } from '../core/aws/profiles';
import { resolveRegion } from '../core/aws/region';
import { silentLogger } from '../core/base/log';
import { oneLine, terminalSafeJson } from '../core/base/sanitize';
import { ProductError } from '../core/errors/productError';
import { Inventory } from '../core/inventory/inventory';
import { stringOption, UsageError } from './args';
import { stderrLogger } from './logger';
import type { CliCommand } from './main';
import { askMfaCodeOnTerminal } from './mfaPrompt';
import { printToStderr } from './stderr';

export const listUsage = `Usage: ec2ic list [--region R[,R…]] [--profile P] [--state S] [--json]

Lists the instances of a profile in one or more regions: name, id, state, type, availability zone and
addresses, one line each (or a JSON array with --json). Regions are listed in parallel; a region that
fails is reported on stderr without hiding the others, and ec2ic exits 1. Instances are sorted as in the
editor's EC2 view: by region, then by name (or id).

  --region R[,R…]  Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P      Default: AWS_PROFILE, or the default credential chain.
  --state S        Only instances in this state (running, stopped, pending, …).
  --json           Machine-readable output.`;

const columns = ['NAME', 'INSTANCE ID', 'STATE', 'TYPE', 'ZONE', 'PUBLIC IP', 'PRIVATE IP'] as const;

/** One row of the table. Names are AWS tags: plain text on one line, so a tag cannot drive the terminal. */
function row(instance: Ec2Instance): string[] {
  const plain = (text: string | undefined) => oneLine(text ?? '') || '-';
  return [
    plain(instance.name),
    instance.instanceId,
    instance.state,
    instance.instanceType,
    plain(instance.availabilityZone),
    plain(instance.publicIpv4 ?? instance.publicIpv6),
    plain(instance.privateIpv4),
  ];
}

export function formatTable(instances: Ec2Instance[]): string {
  const rows = [[...columns], ...instances.map(row)];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

/**
 * `--json`: the text terminalSafeJson(instances, 2) makes, written an instance at a time and as fast as the
 * reader takes it: 10,000 instances are 15 MB of JSON, which need not be in memory all at once (bench/list.ts).
 * JSON.stringify indents an array's elements by one level, as written here.
 */
export async function writeJsonArray(values: readonly unknown[], out: NodeJS.WritableStream): Promise<void> {
  if (values.length === 0) {
    out.write('[]\n');
    return;
  }
  let text = '[\n';
  for (let i = 0; i < values.length; i++) {
    text += `  ${terminalSafeJson(values[i], 2).replace(/\n/g, '\n  ')}${i === values.length - 1 ? '\n]\n' : ',\n'}`;
    if (text.length >= 1 << 16 || i === values.length - 1) {
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
      text = '';
    }
  }
}

export const listCommand: CliCommand = {
  name: 'list',
  summary: 'List instances with their state and addresses',
  usage: listUsage,
  commandLine: { positionals: 0, options: { state: { type: 'string' }, json: { type: 'boolean' } } },
  run: async (args, core) => {
    const state = stringOption(args, 'state');
    if (state !== undefined && !instanceStates.includes(state as InstanceState)) {
      throw new UsageError(`--state ${JSON.stringify(state)} is not an instance state: use one of ${instanceStates.join(', ')}`);
    }
    const profile = stringOption(args, 'profile') ?? (process.env.AWS_PROFILE || undefined);
    const profiles = await core.loadProfiles();
    const named = profiles.find((p) => p.name === (profile ?? 'default'));
    // `name` undefined = the SDK's default chain, as without --profile.
    const listedAs: AwsProfile = { ...(named ?? { label: profile ?? 'default', source: 'unknown' }), name: profile };
    const explicit = [...new Set((stringOption(args, 'region') ?? '').split(',').map((r) => r.trim()).filter(Boolean))];
    const regions = explicit.length ? explicit : [resolveRegion({ profileRegion: named?.region })].filter((r): r is string => !!r);
    if (regions.length === 0) {
      throw new ProductError(
        'noRegion',
        `No region is set${profile ? ` for profile "${profile}"` : ''}. Pass --region, set AWS_REGION, or add "region = …" to the profile in ~/.aws/config.`,
      );
    }
    const aws = new core.AwsClients({ mfaCodeProvider: askMfaCodeOnTerminal });
    const inventory = new Inventory({
      backend: () => core.createInventoryBackend(aws),
      plan: async () => [{ profile: listedAs, regions }],
      // Failures are reported below, once each; the log is for --debug.
      log: args.options.debug ? stderrLogger(true) : silentLogger,
    });
    try {
      await inventory.ensureLoaded();
      await inventory.settled();
    } finally {
      // Lets the process exit: the SDK keeps connections open for reuse.
      aws.reset();
      inventory.dispose();
    }
    // The same inventory, and the same order, as the editor's view: regions in the order asked, then by name.
    const instances = inventory.instances().filter((i) => !state || i.state === state);
    const problems = [
      ...(inventory.readFailure ? [`Could not read the AWS configuration: ${inventory.readFailure}`] : []),
      ...inventory.profiles.flatMap((p) => (p.problem ? [p.problem.message] : p.regions.flatMap((r) => (r.failure ? [r.failure.message] : [])))),
    ];
    const skipped = inventory.regions().filter((r) => r.skipped).map((r) => r.target.region);
    if (args.options.json) {
      await writeJsonArray(instances, process.stdout);
    } else if (instances.length) {
      process.stdout.write(`${formatTable(instances)}\n`);
    } else if (inventory.regions().some((r) => !r.failure && !r.skipped)) {
      printToStderr(`No instances${state ? ` in state ${state}` : ''} in ${regions.join(', ')}.`);
    }
    for (const region of skipped) printToStderr(`ec2ic: skipped ${region}: an opt-in region this account has not enabled.`);
    for (const message of problems) printToStderr(`ec2ic: ${message}`);
    return problems.length ? 1 : 0;
  },
};
