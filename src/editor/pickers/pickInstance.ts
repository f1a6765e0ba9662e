import type { Ec2Instance } from '../../core/aws/model';
import { cancelled, ProductError } from '../../core/errors/productError';
import { Inventory } from '../../core/inventory/inventory';
import type { Services } from '../services/services';
import type { LivePickItem } from '../services/ui';
import { type InstanceChoice, instancePickItem, typedInstanceItem } from './instancePickItems';
import { type ListingTarget, listingTargets } from './listingTargets';

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
  if (isInstanceRow(arg)) return arg.instance;
  if (isEc2Instance(arg)) return arg;
  return pickInstance(services, options);
}

function isInstanceRow(value: unknown): value is { kind: 'instance'; instance: Ec2Instance } {
  const v = value as { kind?: unknown; instance?: unknown } | undefined;
  return typeof v === 'object' && v !== null && v.kind === 'instance' && isEc2Instance(v.instance);
}

function isEc2Instance(value: unknown): value is Ec2Instance {
  const v = value as Partial<Ec2Instance> | undefined;
  return typeof v === 'object' && v !== null && typeof v.instanceId === 'string' && typeof v.region === 'string' && typeof v.state === 'string';
}

const noChoice: InstanceChoice = { kind: 'lookup', instanceId: '' };

/**
 * A quick pick of the instances across the configured profiles and regions: the inventory's, which the tree
 * has usually listed already (then nothing is listed again), filling in as regions answer. Type to filter by
 * name, id or IP address, or paste an instance id (checked, then looked up).
 */
export async function pickInstance(services: Services, options: PickInstanceOptions = {}): Promise<Ec2Instance> {
  const targets = await listingTargets(services);
  const { inventory } = services;
  const asked = targets.filter((t) => t.asked);
  const backend = inventory.backend;
  // Regions asked for just now (a profile without one) are listed for this pick alone, with the same backend.
  const extra =
    asked.length && backend
      ? new Inventory({ backend: () => backend, plan: async () => asked.map((t) => ({ profile: t.awsProfile, regions: [t.region] })), log: services.log })
      : undefined;
  const sources = extra ? [inventory, extra] : [inventory];
  const showProfile = new Set(targets.map((t) => t.profile)).size > 1;
  const listedIds = new Set<string>();

  const choice = await services.ui.pickLive<InstanceChoice>({
    title: options.title ?? 'Choose an EC2 instance',
    placeholder: options.placeholder ?? 'Type a name, instance id or IP address, or paste an instance id',
    typedItem: (text) => typedInstanceItem(text, listedIds),
    load: async (update, signal) => {
      const publish = () => update(sources.flatMap((source) => pickItems(source, options, showProfile, listedIds)));
      const stops = sources.map((source) => source.onDidChange(publish));
      try {
        await Promise.all(sources.map((source) => source.ensureLoaded()));
        publish();
        await Promise.race([Promise.all(sources.map((source) => source.settled())), new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
      } finally {
        for (const stop of stops) stop();
        extra?.dispose();
      }
      const items = sources.flatMap((source) => pickItems(source, options, showProfile, listedIds));
      if (items.length === 0 && !signal.aborted) {
        const where = targets.map((t) => t.region).join(', ');
        update([{ label: '$(info) No instances', detail: `None to offer in ${where}. Paste an instance id to look one up.`, acceptable: false, value: noChoice }]);
      } else {
        update(items);
      }
    },
  });
  if (!choice) throw cancelled();
  if (choice.kind === 'instance') return choice.instance;
  return lookUpInstance(services, targets, choice.instanceId);
}

/** The rows of one inventory: its instances that the command accepts, then a hint for each profile or region that failed. */
function pickItems(inventory: Inventory, options: PickInstanceOptions, showProfile: boolean, listedIds: Set<string>): LivePickItem<InstanceChoice>[] {
  const found: LivePickItem<InstanceChoice>[] = [];
  const failures: LivePickItem<InstanceChoice>[] = [];
  for (const { profile, regions, problem } of inventory.profiles) {
    if (problem?.kind === 'signIn' || problem?.kind === 'credentials') {
      failures.push({ label: `$(error) ${profile.label}: could not list instances`, detail: problem.message, acceptable: false, value: noChoice });
      continue;
    }
    for (const region of regions) {
      for (const instance of region.instances()) {
        listedIds.add(instance.instanceId);
        if (!options.filter || options.filter(instance)) found.push(instancePickItem(instance, showProfile ? profile.label : undefined));
      }
      if (region.failure) {
        failures.push({ label: `$(error) ${region.target.region}: could not list instances`, detail: region.failure.message, acceptable: false, value: noChoice });
      }
    }
  }
  return [...found, ...failures];
}

/** Finds a typed instance id in the configured profiles and regions (all asked at once). */
export async function lookUpInstance(services: Services, targets: ListingTarget[], instanceId: string): Promise<Ec2Instance> {
  const backend = services.inventory.backend;
  return services.ui.withProgress(`Looking up ${instanceId}…`, async (signal) => {
    const errors: unknown[] = [];
    const results = await Promise.all(
      targets.map(async (target) => {
        try {
          return (await backend?.describeInstances(target, [instanceId], signal))?.[0];
        } catch (err) {
          errors.push(err);
          return undefined;
        }
      }),
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
