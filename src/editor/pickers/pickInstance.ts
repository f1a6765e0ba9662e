import type { Ec2Instance } from '../../core/aws/model';
import { describeFailure } from '../../core/errors/describe';
import { cancelled, ProductError } from '../../core/errors/productError';
import { describeThrown } from '../../core/base/log';
import { isInstanceNode } from '../tree/nodes';
import type { LivePickItem } from '../ui/ui';
import { instancePickItem, typedInstanceItem, type InstanceChoice } from './instancePickItems';
import { listingTargets, type ListingTarget } from './listingTargets';
import type { Services } from '../services/services';

export interface PickInstanceOptions {
  title?: string;
  placeholder?: string;
  /** Offer only these (e.g. running Linux for Connect). A pasted id is looked up whatever its state. */
  filter?: (instance: Ec2Instance) => boolean;
}

/**
 * The instance a command acts on: the tree row it was run on (or an Ec2Instance passed by another
 * command), else one picked from every configured profile and region. Throws `cancelled()` when dismissed.
 */
export async function instanceArgument(services: Services, arg: unknown, options: PickInstanceOptions = {}): Promise<Ec2Instance> {
  if (isInstanceNode(arg)) return arg.instance;
  if (isEc2Instance(arg)) return arg;
  return pickInstance(services, options);
}

function isEc2Instance(value: unknown): value is Ec2Instance {
  const v = value as Partial<Ec2Instance> | undefined;
  return typeof v === 'object' && v !== null && typeof v.instanceId === 'string' && typeof v.region === 'string' && typeof v.state === 'string';
}

/**
 * A quick pick of the instances across the configured profiles and regions, filled as regions answer;
 * type to filter by name, id or IP address, or paste an instance id (checked, then looked up).
 */
export async function pickInstance(services: Services, options: PickInstanceOptions = {}): Promise<Ec2Instance> {
  const targets = await listingTargets(services);
  const core = services.core();
  const clients = services.aws();
  const showProfile = new Set(targets.map((t) => t.profile)).size > 1;
  const listedIds = new Set<string>();

  const choice = await services.ui.pickLive<InstanceChoice>({
    title: options.title ?? 'Choose an EC2 instance',
    placeholder: options.placeholder ?? 'Type a name, instance id or IP address, or paste an instance id',
    typedItem: (text) => typedInstanceItem(text, listedIds),
    load: async (update, signal) => {
      const found: LivePickItem<InstanceChoice>[] = [];
      const failures: LivePickItem<InstanceChoice>[] = [];
      const publish = () => update([...found, ...failures]);
      const labelOf = (target: { profile?: string }) => targets.find((t) => t.profile === target.profile)?.profileLabel;
      await core.listEverywhere(clients, targets, {
        abortSignal: signal,
        onPage: (target, instances) => {
          for (const instance of instances) {
            listedIds.add(instance.instanceId);
            if (!options.filter || options.filter(instance)) found.push(instancePickItem(instance, showProfile ? labelOf(target) : undefined));
          }
          publish();
        },
        onDone: (target, error) => {
          if (error === undefined) return;
          services.log.warn(`[picker] listing ${target.region} failed: ${describeThrown(error)}`);
          const message = describeFailure(error, { operation: 'DescribeInstances', region: target.region, profile: target.profile }).message;
          failures.push({ label: `$(error) ${target.region}: could not list instances`, detail: message, acceptable: false, value: { kind: 'lookup', instanceId: '' } });
          publish();
        },
      });
      if (found.length === 0 && failures.length === 0) {
        const where = targets.map((t) => t.region).join(', ');
        update([{ label: '$(info) No instances', detail: `None to offer in ${where}. Paste an instance id to look one up.`, acceptable: false, value: { kind: 'lookup', instanceId: '' } }]);
      }
    },
  });
  if (!choice) throw cancelled();
  if (choice.kind === 'instance') return choice.instance;
  return lookUpInstance(services, targets, choice.instanceId);
}

/** Finds a typed instance id in the configured profiles and regions (all asked at once). */
export async function lookUpInstance(services: Services, targets: ListingTarget[], instanceId: string): Promise<Ec2Instance> {
  const core = services.core();
  const clients = services.aws();
  return services.ui.withProgress(`Looking up ${instanceId}…`, async (signal) => {
    const errors: unknown[] = [];
    const results = await Promise.all(
      targets.map((target) =>
        core.describeInstance(clients.ec2Client(target), target, instanceId, signal).catch((err: unknown) => {
          errors.push(err);
          return undefined;
        }),
      ),
    );
    const found = results.find((instance): instance is Ec2Instance => instance !== undefined);
    if (found) return found;
    if (errors.length === targets.length && errors.length > 0) throw errors[0];
    const where = [...new Set(targets.map((t) => t.region))].join(', ');
    throw new ProductError(
      'instanceNotFound',
      `${instanceId} was not found in ${where}. It may have been terminated, or it is in another region or account: choose regions or profiles, then try again.`,
    );
  });
}
