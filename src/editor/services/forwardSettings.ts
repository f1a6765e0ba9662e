import { isInstanceId } from '../../core/aws/model';
import type { Forward, ForwardInstance } from '../../core/forward/forward';
import { defaultBindAddress, hostPort } from '../../core/forward/forwardSpec';

/** One instance's forwards to start again when the editor starts: an entry of `ec2InstanceConnect.restoreForwards`. */
export interface RestoreEntry {
  instanceId: string;
  region: string;
  profile?: string;
  /** The OS user to log in as; default: the one remembered for the instance, else the image's. */
  osUser?: string;
  /** In OpenSSH's `-L` syntax: `18080:localhost:8080`, `127.0.0.1:15432:db.internal:5432`. */
  forwards: string[];
}

/** The forward settings, read apart from the core's Settings: only the editor forwards ports on its own. */
export interface ForwardSettings {
  /** Where forwards listen on this computer: 127.0.0.1 (only this computer) unless the setting says otherwise. */
  bindAddress: string;
  restore: RestoreEntry[];
  /** What is wrong with entries of the restore setting that were left out: plain words, one per entry. */
  restoreProblems: string[];
  /** The restore setting as written (an entry added to it keeps the others as they are, even ones not understood). */
  restoreRaw: unknown[];
}

export const restoreForwardsSetting = 'ec2InstanceConnect.restoreForwards';
export const forwardBindAddressSetting = 'ec2InstanceConnect.forwardBindAddress';

export const defaultForwardSettings: ForwardSettings = { bindAddress: defaultBindAddress, restore: [], restoreProblems: [], restoreRaw: [] };

/** Whether the restore setting lists anything (usable or not): otherwise there is nothing to start, load or say at startup. */
export function hasForwardsToRestore(settings: ForwardSettings): boolean {
  return settings.restore.length > 0 || settings.restoreProblems.length > 0;
}

/** The settings as read (anything a user can write in settings.json), checked. */
export function parseForwardSettings(raw: { bindAddress?: unknown; restoreForwards?: unknown }): ForwardSettings {
  const bind = typeof raw.bindAddress === 'string' ? raw.bindAddress.trim() : '';
  const restoreRaw = Array.isArray(raw.restoreForwards) ? (raw.restoreForwards as unknown[]) : [];
  return { bindAddress: bind || defaultBindAddress, ...parseRestoreForwards(raw.restoreForwards), restoreRaw };
}

/** The entries of `restoreForwards` that can be used, and a line for each other one (settings.json shows what is wrong with it). */
export function parseRestoreForwards(value: unknown): { restore: RestoreEntry[]; restoreProblems: string[] } {
  const restore: RestoreEntry[] = [];
  const restoreProblems: string[] = [];
  (Array.isArray(value) ? value : value == null ? [] : [value]).forEach((item: unknown, index) => {
    const entry = entryOf(item);
    if (entry) restore.push(entry);
    else restoreProblems.push(`Entry ${index + 1} of ${restoreForwardsSetting} is not { "instanceId": "i-…", "region": "…", "forwards": ["18080:localhost:8080"] }.`);
  });
  return { restore, restoreProblems };
}

function entryOf(item: unknown): RestoreEntry | undefined {
  const entry = (typeof item === 'object' && item) || {};
  const text = (key: string) => {
    const value = (entry as Record<string, unknown>)[key];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const { forwards } = entry as { forwards?: unknown };
  const instanceId = text('instanceId');
  const region = text('region');
  if (!instanceId || !isInstanceId(instanceId) || !region || !Array.isArray(forwards) || !forwards.every((f) => typeof f === 'string')) return undefined;
  const profile = text('profile');
  const osUser = text('osUser');
  return { instanceId, region, ...(profile && { profile }), ...(osUser && { osUser }), forwards: forwards.map((f: string) => f.trim()).filter(Boolean) };
}

/**
 * A running forward as the restore setting writes it: `18080:localhost:8080`, with its bind address in front
 * when it is not the one `forwardBindAddress` gives (so that it comes back where it listens now).
 */
export function restoreSpecOf(forward: Pick<Forward, 'local' | 'remote'>, bindSetting: string): string {
  const remote = hostPort(forward.remote.host, forward.remote.port);
  return forward.local.host === bindSetting ? `${forward.local.port}:${remote}` : `${hostPort(forward.local.host, forward.local.port)}:${remote}`;
}

/** The restore setting with `spec` added to the instance's entry (made when missing); undefined when it is there already. */
export function withRestoredForward(raw: readonly unknown[], instance: ForwardInstance, spec: string): unknown[] | undefined {
  const same = (item: unknown) => {
    const entry = item as Partial<RestoreEntry> | null;
    return (
      typeof entry === 'object' &&
      entry !== null &&
      entry.instanceId === instance.instanceId &&
      entry.region === instance.region &&
      (entry.profile || undefined) === (instance.profile || undefined) &&
      Array.isArray(entry.forwards)
    );
  };
  const index = raw.findIndex(same);
  if (index < 0) {
    const entry: RestoreEntry = { instanceId: instance.instanceId, region: instance.region, ...(instance.profile ? { profile: instance.profile } : {}), forwards: [spec] };
    return [...raw, entry];
  }
  const existing = raw[index] as RestoreEntry;
  if (existing.forwards.includes(spec)) return undefined;
  return raw.map((item, i) => (i === index ? { ...existing, forwards: [...existing.forwards, spec] } : item));
}
