import type { CliCommand } from './main';
import type { AwsTarget, Ec2Instance } from '../core/aws/model';
import { resolveRegion } from '../core/aws/region';
import { describeFailure } from '../core/errors/describe';
import { ProductError } from '../core/errors/productError';
import { stringOption } from './args';
import { askMfaCodeOnTerminal } from './mfaPrompt';
import { withContext } from './ssh';

export const listUsage = `Usage: ec2ic list [--region R[,R…]] [--profile P] [--state S] [--json]

Lists the instances of a profile in one or more regions: name, id, state, type, availability zone and
addresses, one line each (or a JSON array with --json). Regions are listed in parallel; a region that
fails is reported on stderr without hiding the others, and ec2ic exits 1.

  --region R[,R…]  Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P      Default: AWS_PROFILE, or the default credential chain.
  --state S        Only instances in this state (running, stopped, pending, …).
  --json           Machine-readable output.`;

const columns = ['NAME', 'INSTANCE ID', 'STATE', 'TYPE', 'ZONE', 'PUBLIC IP', 'PRIVATE IP'] as const;

/** One row of the table. Names are AWS tags: control characters go, so a tag cannot drive the terminal. */
function row(instance: Ec2Instance): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = (text: string | undefined) => (text ?? '-').replace(/[\u0000-\u001f\u007f-\u009f]/g, '') || '-';
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

export const listCommand: CliCommand = {
  name: 'list',
  summary: 'List instances with their state and addresses',
  usage: listUsage,
  booleans: ['json'],
  run: async (args, core) => {
    const profile = stringOption(args, 'profile') ?? (process.env.AWS_PROFILE || undefined);
    const explicit = stringOption(args, 'region');
    const profileRegion = explicit ? undefined : (await core.loadProfiles()).find((p) => p.name === (profile ?? 'default'))?.region;
    const regions = (explicit ? explicit.split(',') : [resolveRegion({ profileRegion })]).map((r) => r?.trim()).filter((r): r is string => !!r);
    if (regions.length === 0) {
      throw new ProductError(
        'noRegion',
        `No region is set${profile ? ` for profile "${profile}"` : ''}. Pass --region, set AWS_REGION, or add "region = …" to the profile in ~/.aws/config.`,
      );
    }
    const state = stringOption(args, 'state');
    const aws = new core.AwsClients({ mfaCodeProvider: askMfaCodeOnTerminal });
    const instances: Ec2Instance[] = [];
    const failures: { target: AwsTarget; error: unknown }[] = [];
    try {
      await core.listEverywhere(
        aws,
        regions.map((region) => ({ profile, region })),
        {
          onPage: (_target, page) => instances.push(...page.filter((i) => !state || i.state === state)),
          onDone: (target, error) => {
            if (error) failures.push({ target, error });
          },
        },
      );
    } finally {
      aws.reset();
    }
    // Regions in the order asked, then by name within a region.
    const order = (i: Ec2Instance) => regions.indexOf(i.region);
    instances.sort((a, b) => order(a) - order(b) || (a.name ?? a.instanceId).localeCompare(b.name ?? b.instanceId));
    if (args.options.json) {
      process.stdout.write(`${JSON.stringify(instances, null, 2)}\n`);
    } else if (instances.length) {
      process.stdout.write(`${formatTable(instances)}\n`);
    } else if (failures.length < regions.length) {
      process.stderr.write(`No instances${state ? ` in state ${state}` : ''} in ${regions.join(', ')}.\n`);
    }
    if (failures.length === 0) return 0;
    const [first, ...others] = failures;
    for (const { target, error } of others) {
      process.stderr.write(`ec2ic: ${describeFailure(error, { operation: 'DescribeInstances', region: target.region, profile }).message}\n`);
    }
    throw withContext(first.error, { operation: 'DescribeInstances', region: first.target.region, profile });
  },
};
