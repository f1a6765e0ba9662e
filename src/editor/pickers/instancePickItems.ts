import { type Ec2Instance, type InstanceState, isInstanceId } from '../../core/aws/model';
import { oneLine } from '../../core/base/sanitize';
import type { LivePickItem } from '../services/ui';

/** What the instance picker resolves to: a listed instance, or a typed id to look up. */
export type InstanceChoice = { kind: 'instance'; instance: Ec2Instance } | { kind: 'lookup'; instanceId: string };

const stateIcons: Record<InstanceState, string> = {
  running: '$(vm-running)',
  pending: '$(loading~spin)',
  stopping: '$(loading~spin)',
  stopped: '$(vm-outline)',
  'shutting-down': '$(loading~spin)',
  terminated: '$(circle-slash)',
};

/** Quick-pick labels render `$(icon)` syntax: untrusted names must not inject icons. */
export function inert(text: string): string {
  return oneLine(text).replace(/\$\(/g, '$\u200b(');
}

/** One instance as a pick item: filterable by name (label), id (description), and addresses (detail). */
export function instancePickItem(instance: Ec2Instance, profileLabel: string | undefined): LivePickItem<InstanceChoice> {
  const addresses = [instance.publicIpv4, instance.publicIpv6, instance.privateIpv4].filter(Boolean);
  const where = [profileLabel, instance.region].filter(Boolean).join(' · ');
  return {
    label: `${stateIcons[instance.state] ?? '$(vm)'} ${instance.name ? inert(instance.name) : instance.instanceId}`,
    description: `${instance.instanceId} · ${instance.instanceType} · ${instance.state}`,
    detail: [where, ...addresses].join(' · '),
    value: { kind: 'instance', instance },
  };
}

/** Why typed text is not an instance id, or undefined when it is one. */
export function instanceIdProblem(text: string): string | undefined {
  if (isInstanceId(text)) return undefined;
  return `"${oneLine(text, 40)}" is not an instance id. Instance ids are "i-" followed by 8 or 17 hexadecimal digits, like i-0123456789abcdef0.`;
}

/**
 * The entry for what the user typed: nothing for a name or an IP (the list filters itself), a
 * "look up" entry for a well-formed id not in the list, and a hint that cannot be chosen for a malformed one.
 */
export function typedInstanceItem(text: string, listedIds: ReadonlySet<string>): LivePickItem<InstanceChoice> | undefined {
  const typed = text.trim();
  if (!/^i-/i.test(typed)) return undefined;
  const id = typed.toLowerCase();
  if (listedIds.has(id)) return undefined;
  const problem = instanceIdProblem(id);
  if (problem) return { label: '$(warning) Not an instance id', detail: problem, acceptable: false, value: { kind: 'lookup', instanceId: id } };
  return {
    label: `$(search) Look up ${id}`,
    detail: 'Not in the list: look it up in the configured profiles and regions',
    value: { kind: 'lookup', instanceId: id },
  };
}
