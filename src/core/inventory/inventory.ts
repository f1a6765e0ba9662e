import { type AwsTarget, type Ec2Instance, sortInstances } from '../aws/model';
import type { AwsProfile } from '../aws/profiles';
import type { AccountRegion } from '../aws/regions';
import { describeThrown, type Logger } from '../base/log';
import { type EndpointsKnown, mayNeedEndpoint } from '../eice/reach';
import type { InventoryBackend } from './backend';
import { classifyListingFailure } from './classify';
import type { PlannedProfile } from './plan';

/** `idle` until something asks for the instances; `noCredentials`: no profile to list with. */
export type InventoryState = 'idle' | 'loading' | 'noCredentials' | 'ready';

/** States that settle by themselves: polled while someone watches (see TransitionalPoller). */
export const transitionalStates: ReadonlySet<string> = new Set(['pending', 'stopping', 'shutting-down']);

/**
 * What keeps a profile from listing anything, with its fix: an expired sign-in (`signIn`), keys that are
 * missing or refused (`credentials`), no region to list in (`noRegion`). `message` says it in plain words.
 */
export interface ProfileProblem {
  kind: 'signIn' | 'credentials' | 'noRegion';
  message: string;
}

export interface InventoryProfile {
  readonly profile: AwsProfile;
  readonly regions: readonly InventoryRegion[];
  /** Set once the profile cannot list anything: its regions are then not shown. */
  readonly problem?: ProfileProblem;
}

export interface InventoryRegion {
  readonly target: AwsTarget;
  readonly profile: InventoryProfile;
  readonly status: 'loading' | 'loaded';
  /** Why listing it failed (the whole message), with the error for whoever reports it. */
  readonly failure?: { message: string; error: unknown };
  /** An opt-in region the account has not enabled: nothing to list, and nothing wrong. */
  readonly skipped: boolean;
  /** Listed so far, in the one display order (compareInstances). */
  instances(): readonly Ec2Instance[];
  /** How many are listed so far: what a collapsed region's row shows, without sorting them. */
  readonly size: number;
  /** Its Instance Connect Endpoints, looked up once per listing when an instance may need one (no public IPv4). */
  readonly endpoints?: EndpointsKnown;
}

/**
 * What changed: every profile (a new listing), one profile's rows (a region failed, was skipped or is listed
 * again; a problem at the profile), or one region's instances (a page arrived, an instance changed state).
 */
export type InventoryChange =
  | { scope: 'all' }
  | { scope: 'profile'; profile: InventoryProfile }
  | { scope: 'region'; region: InventoryRegion };

export interface InventoryOptions {
  /** Called at each (re)load, not before: the editor's backend needs the core bundle, loaded on first use. */
  backend: () => InventoryBackend;
  /** Which profiles and regions to list, read afresh at each (re)load. */
  plan: (backend: InventoryBackend) => Promise<PlannedProfile[]>;
  log: Logger;
}

class RegionEntry implements InventoryRegion {
  status: 'loading' | 'loaded' = 'loading';
  failure?: { message: string; error: unknown };
  skipped = false;
  endpoints?: EndpointsKnown;
  readonly byId = new Map<string, Ec2Instance>();
  /** This listing's endpoint lookup, once one of the region's instances may need one. */
  endpointsLookup?: Promise<void>;
  /** Aborts this region's listing (a retry) while the whole load keeps its own controller. */
  controller?: AbortController;
  private sorted?: Ec2Instance[];

  constructor(
    readonly target: AwsTarget,
    readonly profile: ProfileEntry,
  ) {}

  instances(): readonly Ec2Instance[] {
    this.sorted ??= sortInstances(this.byId.values());
    return this.sorted;
  }

  get size(): number {
    return this.byId.size;
  }

  put(instance: Ec2Instance): void {
    this.byId.set(instance.instanceId, instance);
    this.sorted = undefined;
  }

  reset(): void {
    this.byId.clear();
    this.sorted = undefined;
    this.failure = undefined;
    this.skipped = false;
    this.endpoints = undefined;
    this.endpointsLookup = undefined;
    this.status = 'loading';
  }
}

class ProfileEntry implements InventoryProfile {
  readonly regions: RegionEntry[] = [];
  problem?: ProfileProblem;
  accountRegions?: Promise<AccountRegion[]>;

  constructor(readonly profile: AwsProfile) {}
}

/**
 * Every instance the user's profiles and regions hold, listed once and read by everyone: the tree, the
 * palette's picker and `ec2ic list`. Regions are listed in parallel with their pages streamed in; a failure
 * is classified where it belongs (profile, region, skipped opt-in region); pending and stopping instances
 * can be refreshed until they settle; a Start or Stop updates the instance wherever it is shown.
 */
export class Inventory {
  private entries: ProfileEntry[] = [];
  private byTarget = new Map<AwsTarget, RegionEntry>();
  private currentState: InventoryState = 'idle';
  private failureToRead: string | undefined;
  private run: AbortController | undefined;
  private loaded: Promise<void> | undefined;
  private listing: Promise<void> = Promise.resolve();
  private currentBackend: InventoryBackend | undefined;
  private readonly changeListeners = new Set<(change: InventoryChange) => void>();
  private readonly stateListeners = new Set<(state: InventoryState) => void>();
  private readonly log: Logger;

  constructor(private readonly options: InventoryOptions) {
    this.log = options.log.child('inventory');
  }

  get state(): InventoryState {
    return this.currentState;
  }

  /** Set when the AWS config files could not be read: nothing is listed, and this says why. */
  get readFailure(): string | undefined {
    return this.failureToRead;
  }

  get profiles(): readonly InventoryProfile[] {
    return this.entries;
  }

  /** The backend of the current listing (undefined before the first load). */
  get backend(): InventoryBackend | undefined {
    return this.currentBackend;
  }

  onDidChange(listener: (change: InventoryChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onDidChangeState(listener: (state: InventoryState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Starts the first listing, once; resolves when the profiles are known (regions go on streaming in). */
  ensureLoaded(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /**
   * Reads the profiles again and lists everything anew; the listing in flight is cancelled. Before anyone
   * asked for the instances there is nothing to refresh: the first ensureLoaded() lists fresh anyway.
   */
  refresh(): Promise<void> {
    if (!this.loaded) return Promise.resolve();
    this.loaded = this.load();
    return this.loaded;
  }

  /** Resolves when the current listing has settled (every region answered, failed or was cancelled). */
  async settled(): Promise<void> {
    await this.loaded;
    await this.listing;
  }

  /** Lists one region again (its Retry). */
  async retryRegion(profileName: string | undefined, region: string): Promise<void> {
    const entry = this.regionEntries().find((e) => e.target.profile === profileName && e.target.region === region);
    if (!entry || !this.run) return;
    entry.controller?.abort();
    const controller = new AbortController();
    this.run.signal.addEventListener('abort', () => controller.abort(), { once: true });
    entry.controller = controller;
    entry.reset();
    this.emit({ scope: 'profile', profile: entry.profile });
    await this.listTargets([entry.target], controller.signal);
  }

  /** Looks the region's Instance Connect Endpoints up again (one was created): its rows say anew how they are reached. */
  async refreshEndpoints(profileName: string | undefined, region: string): Promise<void> {
    const entry = this.regionEntries().find((e) => e.target.profile === profileName && e.target.region === region);
    if (entry && this.run) await this.lookUpEndpoints(entry, this.run.signal);
  }

  /** Every instance listed so far: profiles and regions in plan order, instances in display order. */
  instances(): Ec2Instance[] {
    return this.regionEntries().flatMap((entry) => [...entry.instances()]);
  }

  /** The regions listed, or being listed, in plan order (profiles with a problem left out). */
  regions(): InventoryRegion[] {
    return this.entries.filter((p) => !p.problem).flatMap((p) => p.regions);
  }

  /** Instances in a state that settles by itself, per region: what the poller refreshes. */
  transitional(): { target: AwsTarget; instanceIds: string[] }[] {
    return this.regionEntries()
      .map((entry) => ({
        target: entry.target,
        instanceIds: [...entry.byId.values()].filter((i) => transitionalStates.has(i.state)).map((i) => i.instanceId),
      }))
      .filter((group) => group.instanceIds.length > 0);
  }

  /** Describes the transitional instances again and updates them. */
  async refreshTransitional(abortSignal?: AbortSignal): Promise<void> {
    const backend = this.currentBackend;
    if (!backend) return;
    await Promise.all(
      this.transitional().map(async ({ target, instanceIds }) => {
        try {
          const fresh = await backend.describeInstances(target, instanceIds, abortSignal);
          for (const instance of fresh) this.updateInstance(instance);
        } catch (err) {
          if (!abortSignal?.aborted) this.log.warn(`refreshing ${instanceIds.join(', ')} in ${target.region} failed: ${describeThrown(err)}`);
        }
      }),
    );
  }

  /** Shows an instance's new state (after Start, Stop, a poll, a failed connection) wherever it is listed. */
  updateInstance(instance: Ec2Instance): void {
    const entry = this.regionEntries().find((e) => e.target.profile === instance.profile && e.target.region === instance.region);
    if (!entry?.byId.has(instance.instanceId)) return;
    entry.put(instance);
    this.emit({ scope: 'region', region: entry });
  }

  dispose(): void {
    this.run?.abort();
    this.changeListeners.clear();
    this.stateListeners.clear();
  }

  private async load(): Promise<void> {
    this.run?.abort();
    const run = new AbortController();
    this.run = run;
    this.setState('loading');
    let planned: PlannedProfile[];
    try {
      this.currentBackend = this.options.backend();
      planned = await this.options.plan(this.currentBackend);
    } catch (err) {
      if (run.signal.aborted) return;
      // An unreadable config file: said as such, rather than "no credentials".
      this.log.error(`reading the AWS config files failed: ${describeThrown(err)}`);
      this.failureToRead = describeThrown(err);
      this.entries = [];
      this.byTarget = new Map();
      this.setState('ready');
      this.emit({ scope: 'all' });
      return;
    }
    if (run.signal.aborted) return;
    this.failureToRead = undefined;
    this.entries = planned.map((p) => this.profileEntry(p));
    this.byTarget = new Map(this.regionEntries().map((entry) => [entry.target, entry]));
    this.setState(planned.length ? 'ready' : 'noCredentials');
    this.emit({ scope: 'all' });
    this.listing = this.listTargets([...this.byTarget.keys()], run.signal);
  }

  private profileEntry({ profile, regions }: PlannedProfile): ProfileEntry {
    const entry = new ProfileEntry(profile);
    for (const region of regions) entry.regions.push(new RegionEntry({ profile: profile.name, region }, entry));
    if (regions.length === 0) {
      const where = profile.name ? `profile "${profile.label}"` : 'the environment credentials';
      entry.problem = { kind: 'noRegion', message: `No region is set for ${where}. Choose regions, or add "region = …" to the profile in ~/.aws/config.` };
    }
    return entry;
  }

  private async listTargets(targets: AwsTarget[], signal: AbortSignal): Promise<void> {
    const backend = this.currentBackend;
    if (!backend) return;
    await backend.list(targets, {
      abortSignal: signal,
      onPage: (target, instances) => {
        const entry = this.byTarget.get(target);
        if (!entry || entry.profile.problem) return;
        for (const instance of instances) entry.put(instance);
        this.emit({ scope: 'region', region: entry });
        // Looked up while the rest of the region streams in, not after it: its round trip overlaps the listing's.
        if (!entry.endpointsLookup && instances.some(mayNeedEndpoint)) entry.endpointsLookup = this.lookUpEndpoints(entry, signal);
      },
      onDone: (target, error) => {
        const entry = this.byTarget.get(target);
        if (entry) return this.finish(backend, entry, error, signal);
      },
    });
  }

  private async finish(backend: InventoryBackend, entry: RegionEntry, error: unknown, signal: AbortSignal): Promise<void> {
    entry.status = 'loaded';
    const profile = entry.profile;
    if (error === undefined) {
      this.log.info(`${entry.target.region} (${profile.profile.label}): ${entry.byId.size} instances`);
      this.emit({ scope: 'region', region: entry });
      return entry.endpointsLookup;
    }
    if (profile.problem) return;
    this.log.warn(`listing ${entry.target.region} (${profile.profile.label}) failed: ${describeThrown(error)}`);
    const where = await classifyListingFailure(error, profile.profile, () => this.regionEnabled(profile, entry.target.region, signal));
    if (signal.aborted) return;
    const message = backend.describeFailure(error, { operation: 'DescribeInstances', region: entry.target.region, profile: entry.target.profile });
    if (where.scope === 'skipped') {
      entry.skipped = true;
      this.emit({ scope: 'profile', profile });
    } else if (where.scope === 'profile') {
      profile.problem = { kind: where.problem, message };
      this.emit({ scope: 'all' });
    } else {
      entry.failure = { message, error };
      this.emit({ scope: 'profile', profile });
    }
  }

  /**
   * One DescribeInstanceConnectEndpoints per region per listing, from the first page that holds an instance with
   * no public IPv4 address (none such, no call): the rows then say how each is reached, without a call per row.
   */
  private async lookUpEndpoints(entry: RegionEntry, signal: AbortSignal): Promise<void> {
    const backend = this.currentBackend;
    if (!backend?.describeEndpoints || ![...entry.byId.values()].some(mayNeedEndpoint)) return;
    entry.endpoints = { status: 'loading' };
    try {
      const endpoints = await backend.describeEndpoints(entry.target, signal);
      entry.endpoints = { status: 'loaded', endpoints };
    } catch (err) {
      if (signal.aborted) return;
      this.log.warn(`looking up the Instance Connect Endpoints of ${entry.target.region} failed: ${describeThrown(err)}`);
      entry.endpoints = { status: 'failed', message: backend.describeFailure(err, { operation: 'DescribeInstanceConnectEndpoints', region: entry.target.region, profile: entry.target.profile }) };
    }
    if (!signal.aborted) this.emit({ scope: 'region', region: entry });
  }

  /** Whether DescribeRegions (asked once per profile, from a region that answers) says the account has this region. */
  private async regionEnabled(profile: ProfileEntry, region: string, signal: AbortSignal): Promise<boolean | undefined> {
    const backend = this.currentBackend;
    if (!backend) return undefined;
    const from = profile.regions.find((e) => !e.failure && !e.skipped && e.status === 'loaded' && e.target.region !== region)?.target ?? {
      profile: profile.profile.name,
      region: 'us-east-1',
    };
    profile.accountRegions ??= backend.describeRegions(from, signal);
    try {
      return (await profile.accountRegions).find((r) => r.name === region)?.enabled;
    } catch (err) {
      profile.accountRegions = undefined;
      this.log.warn(`DescribeRegions failed: ${describeThrown(err)}`);
      return undefined;
    }
  }

  private regionEntries(): RegionEntry[] {
    return this.entries.flatMap((p) => p.regions);
  }

  private setState(state: InventoryState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private emit(change: InventoryChange): void {
    for (const listener of this.changeListeners) listener(change);
  }
}
