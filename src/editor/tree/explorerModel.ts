import { credentialProblem } from '../../core/inventory/credentialProblem';
import type { ExplorerBackend } from '../../core/inventory/backend';
import type { AwsTarget, Ec2Instance } from '../../core/aws/model';
import { selectProfiles, type AwsProfile } from '../../core/aws/profiles';
import type { AccountRegion } from '../../core/aws/regions';
import { resolveRegion } from '../../core/aws/region';
import { describeFailure } from '../../core/errors/describe';
import { describeThrown, type Logger } from '../../core/base/log';
import type { Settings } from '../../core/base/settings';
import { matchesFilter, parseFilter } from './filter';
import type { ExplorerNode, InstanceNode, MessageNode, ProfileErrorNode, ProfileNode, RegionErrorNode, RegionNode } from './nodes';
import { instanceLabel } from './nodes/instanceNode';
import type { ProfileProblem } from './nodes/profileErrorNode';
import { regionNodeId } from './nodes/regionNode';

/** What the view shows when it has no rows: the `ec2InstanceConnect.state` context key. */
export type ExplorerState = 'loading' | 'noCredentials' | 'ready';

/** States that settle by themselves: the view polls them while it is visible. */
export const transitionalStates = new Set(['pending', 'stopping', 'shutting-down']);

/** Regions shown expanded under a profile; more than this start collapsed (their counts still update). */
const expandRegionsUpTo = 3;

interface RegionEntry {
  readonly target: AwsTarget;
  readonly node: RegionNode;
  readonly profile: ProfileEntry;
  readonly instances: Map<string, InstanceNode>;
  sorted?: InstanceNode[];
  failure?: RegionErrorNode;
  skipped?: MessageNode;
  /** Aborts this region's listing (a retry) while the whole load keeps its own controller. */
  controller?: AbortController;
}

interface ProfileEntry {
  readonly node: ProfileNode;
  readonly regions: RegionEntry[];
  problem?: ProfileErrorNode;
  accountRegions?: Promise<AccountRegion[]>;
}

/**
 * The instances view without the editor: profiles → regions → instances, loaded region by region
 * (pages streamed in), with failures as rows. The TreeDataProvider is a thin mapping of this.
 */
export class ExplorerModel {
  private profiles: ProfileEntry[] = [];
  private byTarget = new Map<AwsTarget, RegionEntry>();
  private currentState: ExplorerState = 'loading';
  private run: AbortController | undefined;
  private started: Promise<void> | undefined;
  private listing: Promise<void> = Promise.resolve();
  private terms: string[] = [];
  private filterValue: string | undefined;
  private showProfiles = false;
  private loadFailure: MessageNode | undefined;
  private readonly changeListeners = new Set<(node: ExplorerNode | undefined) => void>();
  private readonly stateListeners = new Set<(state: ExplorerState) => void>();

  private backend: ExplorerBackend | undefined;

  /**
   * `createBackend` is called at each (re)load, not before: the editor's backend needs the core bundle,
   * which loads on the first getChildren, and is rebuilt after the endpoint setting changes.
   */
  constructor(
    private readonly createBackend: () => ExplorerBackend,
    private readonly settings: () => Settings,
    private readonly log: Logger,
  ) {}

  get state(): ExplorerState {
    return this.currentState;
  }

  get filter(): string | undefined {
    return this.filterValue;
  }

  /** `node` changed (its row and its children); undefined = everything. */
  onDidChange(listener: (node: ExplorerNode | undefined) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onDidChangeState(listener: (state: ExplorerState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Loads on first call (lazily: nothing is read before the view asks), then answers from what is known. */
  async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      this.started ??= this.load();
      await this.started;
      return this.rootChildren();
    }
    switch (node.kind) {
      case 'profile': {
        const entry = this.profiles.find((p) => p.node === node);
        return entry ? this.profileContents(entry) : [];
      }
      case 'region': {
        const entry = this.entryOfNode(node);
        return entry ? this.regionContents(entry) : [];
      }
      default:
        return [];
    }
  }

  /**
   * Reads the profiles again and lists everything anew; the listing in flight is cancelled. Before the
   * view first asked for its rows there is nothing to refresh: its first getChildren loads fresh anyway.
   */
  refresh(): Promise<void> {
    if (!this.started) return Promise.resolve();
    this.started = this.load();
    return this.started;
  }

  /** Resolves when the current listing has settled (every region answered, failed or was cancelled). */
  async settled(): Promise<void> {
    await this.started;
    await this.listing;
  }

  setFilter(text: string | undefined): void {
    this.terms = parseFilter(text);
    this.filterValue = this.terms.length ? text?.trim() : undefined;
    for (const entry of this.allRegions()) this.countMatches(entry);
    this.emit(undefined);
  }

  /** Lists one region again (its Retry action). */
  async retryRegion(profileName: string | undefined, region: string): Promise<void> {
    const entry = this.allRegions().find((e) => e.target.profile === profileName && e.target.region === region);
    if (!entry || !this.run) return;
    entry.controller?.abort();
    const controller = new AbortController();
    const runSignal = this.run.signal;
    runSignal.addEventListener('abort', () => controller.abort(), { once: true });
    entry.controller = controller;
    this.resetRegion(entry);
    this.emit(this.containerOf(entry.profile));
    await this.listTargets([entry.target], controller.signal);
  }

  /** Every instance listed so far, in tree order. */
  instances(): Ec2Instance[] {
    return this.allRegions().flatMap((entry) => this.sortedInstances(entry).map((node) => node.instance));
  }

  /** Instances in a state that settles by itself, per region: what auto-refresh polls. */
  transitional(): { target: AwsTarget; instanceIds: string[] }[] {
    return this.allRegions()
      .map((entry) => ({
        target: entry.target,
        instanceIds: [...entry.instances.values()].filter((n) => transitionalStates.has(n.instance.state)).map((n) => n.instance.instanceId),
      }))
      .filter((group) => group.instanceIds.length > 0);
  }

  /** Describes the transitional instances again and updates their rows. */
  async refreshTransitional(abortSignal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.transitional().map(async ({ target, instanceIds }) => {
        try {
          const fresh = await this.requireBackend().describeInstances(target, instanceIds, abortSignal);
          for (const instance of fresh) this.updateInstance(instance);
        } catch (err) {
          if (!abortSignal?.aborted) this.log.warn(`refreshing ${instanceIds.join(', ')} in ${target.region} failed: ${describeThrown(err)}`);
        }
      }),
    );
  }

  /** Shows an instance's new state (after Start, Stop, a poll) where it is listed. */
  updateInstance(instance: Ec2Instance): void {
    const entry = this.allRegions().find((e) => e.target.profile === instance.profile && e.target.region === instance.region);
    const node = entry?.instances.get(instance.instanceId);
    if (!entry || !node) return;
    node.instance = instance;
    entry.sorted = undefined;
    this.countMatches(entry);
    this.emit(this.instancesContainerOf(entry));
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
    let profiles: AwsProfile[];
    try {
      this.backend = this.createBackend();
      profiles = selectProfiles(await this.backend.loadProfiles(), this.settings().profiles, this.backend.env);
    } catch (err) {
      // An unreadable config file: say so where the profiles would be, rather than "no credentials".
      if (run.signal.aborted) return;
      this.log.error(`reading the AWS config files failed: ${describeThrown(err)}`);
      this.profiles = [];
      this.byTarget = new Map();
      this.loadFailure = {
        kind: 'message',
        id: 'load-error',
        label: 'Could not read the AWS configuration',
        description: describeThrown(err),
        tooltip: `${describeThrown(err)}\nFix ~/.aws/config or ~/.aws/credentials (Open AWS Config File), then Refresh.`,
        icon: 'error',
      };
      this.setState('ready');
      this.emit(undefined);
      return;
    }
    if (run.signal.aborted) return;
    this.loadFailure = undefined;

    const settings = this.settings();
    this.showProfiles = profiles.length > 1 || settings.alwaysShowProfiles;
    this.profiles = profiles.map((profile) => this.profileEntry(profile, settings));
    this.byTarget = new Map(this.allRegions().map((entry) => [entry.target, entry]));
    this.setState(profiles.length ? 'ready' : 'noCredentials');
    this.emit(undefined);
    this.listing = this.listTargets([...this.byTarget.keys()], run.signal);
  }

  private profileEntry(profile: AwsProfile, settings: Settings): ProfileEntry {
    const regions = settings.regions.length
      ? [...new Set(settings.regions)]
      : [resolveRegion({ profileRegion: profile.region, env: this.backend?.env })].filter((r): r is string => !!r);
    const entry: ProfileEntry = { node: { kind: 'profile', profile, regions }, regions: [] };
    const expanded = regions.length <= expandRegionsUpTo;
    for (const region of regions) {
      entry.regions.push({
        target: { profile: profile.name, region },
        node: { kind: 'region', profile, region, status: 'loading', total: 0, expanded },
        profile: entry,
        instances: new Map(),
      });
    }
    if (regions.length === 0) {
      const where = profile.name ? `profile "${profile.label}"` : 'the environment credentials';
      entry.problem = this.problemNode(
        profile,
        'noRegion',
        `No region is set for ${where}. Choose regions, or add "region = …" to the profile in ~/.aws/config.`,
      );
    }
    return entry;
  }

  private async listTargets(targets: AwsTarget[], signal: AbortSignal): Promise<void> {
    const listed = targets.filter((t) => !this.byTarget.get(t)?.profile.problem);
    await this.requireBackend().list(listed, {
      abortSignal: signal,
      onPage: (target, instances) => {
        const entry = this.byTarget.get(target);
        if (entry && !entry.profile.problem) this.addPage(entry, instances);
      },
      onDone: (target, error) => {
        const entry = this.byTarget.get(target);
        if (entry) return this.finish(entry, error, signal);
      },
    });
  }

  private addPage(entry: RegionEntry, instances: Ec2Instance[]): void {
    for (const instance of instances) {
      const node = entry.instances.get(instance.instanceId);
      if (node) node.instance = instance;
      else entry.instances.set(instance.instanceId, { kind: 'instance', instance });
    }
    entry.sorted = undefined;
    entry.node.total = entry.instances.size;
    this.countMatches(entry);
    this.emit(this.instancesContainerOf(entry));
  }

  private async finish(entry: RegionEntry, error: unknown, signal: AbortSignal): Promise<void> {
    entry.node.status = 'loaded';
    if (error === undefined) {
      this.log.info(`${entry.target.region} (${entry.profile.node.profile.label}): ${entry.instances.size} instances`);
      this.emit(this.instancesContainerOf(entry));
      return;
    }
    const profile = entry.profile;
    if (profile.problem) return;
    const ctx = { operation: 'DescribeInstances', region: entry.target.region, profile: entry.target.profile };
    this.log.warn(`listing ${entry.target.region} (${profile.node.profile.label}) failed: ${describeThrown(error)}`);
    let problem = credentialProblem(error, profile.node.profile);
    const code = (error as { name?: string }).name;
    if (problem === 'maybeRegion' || code === 'OptInRequired') {
      // EC2 answers AuthFailure both for bad keys and for an opt-in region the account has not enabled.
      const enabled = await this.regionEnabled(profile, entry.target.region, signal);
      if (signal.aborted) return;
      if (enabled === false) {
        entry.skipped = {
          kind: 'message',
          id: `${regionNodeId(profile.node.profile, entry.target.region)}:skipped`,
          label: entry.target.region,
          description: 'skipped: opt-in region not enabled for this account',
          tooltip: `${entry.target.region} is an opt-in region that this account has not enabled, so it was skipped. Enable it in the AWS console (Account settings), or choose other regions.`,
          icon: 'info',
        };
        this.emit(this.containerOf(profile));
        return;
      }
      problem = code === 'OptInRequired' ? undefined : 'credentials';
    }
    if (problem === 'signIn' || problem === 'credentials') {
      profile.problem = this.problemNode(profile.node.profile, problem, describeFailure(error, ctx).message);
      this.emit(undefined);
      return;
    }
    entry.failure = { kind: 'regionError', profile: profile.node.profile, region: entry.target.region, message: describeFailure(error, ctx).message };
    this.emit(this.containerOf(profile));
  }

  /** Whether DescribeRegions (asked once per profile, from a region that answers) says the account has this region. */
  private async regionEnabled(profile: ProfileEntry, region: string, signal: AbortSignal): Promise<boolean | undefined> {
    const from = profile.regions.find((e) => !e.failure && !e.skipped && e.node.status === 'loaded' && e.target.region !== region)?.target ?? {
      profile: profile.node.profile.name,
      region: 'us-east-1',
    };
    profile.accountRegions ??= this.requireBackend().describeRegions(from, signal);
    try {
      return (await profile.accountRegions).find((r) => r.name === region)?.enabled;
    } catch (err) {
      profile.accountRegions = undefined;
      this.log.warn(`DescribeRegions failed: ${describeThrown(err)}`);
      return undefined;
    }
  }

  private requireBackend(): ExplorerBackend {
    if (!this.backend) throw new Error('the explorer lists nothing before it has loaded');
    return this.backend;
  }

  private problemNode(profile: AwsProfile, problem: ProfileProblem, message: string): ProfileErrorNode {
    return { kind: 'profileError', profile, problem, message };
  }

  private resetRegion(entry: RegionEntry): void {
    entry.instances.clear();
    entry.sorted = undefined;
    entry.failure = undefined;
    entry.skipped = undefined;
    entry.node.status = 'loading';
    entry.node.total = 0;
    this.countMatches(entry);
  }

  private rootChildren(): ExplorerNode[] {
    if (this.loadFailure) return [this.loadFailure];
    if (this.showProfiles) return this.profiles.map((p) => p.problem ?? p.node);
    const only = this.profiles[0];
    return only ? (only.problem ? [only.problem] : this.profileContents(only)) : [];
  }

  private profileContents(entry: ProfileEntry): ExplorerNode[] {
    if (entry.problem) return [];
    if (this.showRegions(entry)) return entry.regions.map((r) => r.failure ?? r.skipped ?? r.node);
    const only = entry.regions[0];
    return only.failure ? [only.failure] : only.skipped ? [only.skipped] : this.regionContents(only);
  }

  private regionContents(entry: RegionEntry): ExplorerNode[] {
    const shown = this.sortedInstances(entry).filter((node) => matchesFilter(node.instance, this.terms));
    if (shown.length) return shown;
    const id = regionNodeId(entry.profile.node.profile, entry.target.region);
    if (entry.node.status === 'loading') return [{ kind: 'message', id: `${id}:loading`, label: 'Loading instances…', icon: 'loading~spin' }];
    if (entry.instances.size === 0) {
      return [{ kind: 'message', id: `${id}:empty`, label: `No instances in ${entry.target.region}`, icon: 'info' }];
    }
    return [{ kind: 'message', id: `${id}:nomatch`, label: `No instances match "${this.filterValue ?? ''}"`, icon: 'filter' }];
  }

  private showRegions(entry: ProfileEntry): boolean {
    return entry.regions.length > 1 || this.settings().alwaysShowRegions;
  }

  /** The node whose children are this profile's rows (undefined = the root). */
  private containerOf(profile: ProfileEntry): ExplorerNode | undefined {
    return this.showProfiles && !profile.problem ? profile.node : undefined;
  }

  /** The node whose children are this region's instances. */
  private instancesContainerOf(entry: RegionEntry): ExplorerNode | undefined {
    return this.showRegions(entry.profile) && !entry.failure && !entry.skipped ? entry.node : this.containerOf(entry.profile);
  }

  private sortedInstances(entry: RegionEntry): InstanceNode[] {
    entry.sorted ??= [...entry.instances.values()].sort(
      (a, b) => instanceLabel(a.instance).localeCompare(instanceLabel(b.instance)) || a.instance.instanceId.localeCompare(b.instance.instanceId),
    );
    return entry.sorted;
  }

  private countMatches(entry: RegionEntry): void {
    entry.node.matching = this.terms.length
      ? [...entry.instances.values()].filter((node) => matchesFilter(node.instance, this.terms)).length
      : undefined;
  }

  private entryOfNode(node: RegionNode): RegionEntry | undefined {
    return this.allRegions().find((entry) => entry.node === node);
  }

  private allRegions(): RegionEntry[] {
    return this.profiles.flatMap((p) => p.regions);
  }

  private setState(state: ExplorerState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private emit(node: ExplorerNode | undefined): void {
    for (const listener of this.changeListeners) listener(node);
  }
}

