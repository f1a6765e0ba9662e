import type { ConnectionType, Settings } from '../../core/base/settings';
import { reachOf } from '../../core/eice/reach';
import type { Forward } from '../../core/forward/forward';
import type { Inventory, InventoryChange, InventoryProfile, InventoryRegion, InventoryState } from '../../core/inventory/inventory';
import type { ForwardList } from '../services/services';
import { matchesFilter, parseFilter } from './filter';
import type { ExplorerNode, ForwardNode, ForwardsNode, InstanceNode, MessageNode, ProfileNode, RegionNode } from './nodes';
import { forwardsNodeId } from './nodes/forwardsNode';
import { regionNodeId } from './nodes/regionNode';

/** What the view shows when it has no rows: the `ec2InstanceConnect.state` context key. */
export type ViewState = 'loading' | 'noCredentials' | 'ready';

/** Regions shown expanded under a profile; more than this start collapsed (their counts still update). */
const expandRegionsUpTo = 3;

const noForwards: ForwardList = { list: () => [], onDidChange: () => () => {} };

/**
 * The instances view as rows, without the editor: the inventory (profiles → regions → instances) shaped into
 * tree nodes, with single profile and region levels skipped, failures as rows, and the filter. The
 * TreeDataProvider is a thin mapping of this; the data itself lives in the inventory, which the palette's
 * picker and the commands share.
 */
export class InstancesTreeModel {
  private readonly profileNodes = new WeakMap<InventoryProfile, ProfileNode>();
  private readonly regionNodes = new WeakMap<InventoryRegion, RegionNode>();
  private readonly instanceNodes = new WeakMap<InventoryRegion, Map<string, InstanceNode>>();
  private readonly forwardsNodes = new WeakMap<InstanceNode, ForwardsNode>();
  private readonly forwardNodes = new Map<string, ForwardNode>();
  /** The forwards shown, by instance (forwardKey). */
  private shownForwards: Map<string, readonly Forward[]>;
  private terms: string[] = [];
  private filterValue: string | undefined;
  private readonly listeners = new Set<(node: ExplorerNode | undefined) => void>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeForwards: () => void;

  constructor(
    private readonly inventory: Inventory,
    private readonly settings: () => Pick<Settings, 'alwaysShowProfiles' | 'alwaysShowRegions' | 'connectionType'>,
    /** The way in of each instance (its own, when one was chosen); default: the setting. */
    private readonly connectionTypeFor: (instanceId: string) => ConnectionType = () => settings().connectionType,
    /** The forwarded ports, shown under their instances. */
    private readonly forwards: ForwardList = noForwards,
  ) {
    this.unsubscribe = inventory.onDidChange((change) => this.changed(change));
    this.shownForwards = byInstance(forwards.list());
    this.unsubscribeForwards = forwards.onDidChange(() => this.forwardsChanged());
  }

  get state(): ViewState {
    return viewState(this.inventory.state);
  }

  get filter(): string | undefined {
    return this.filterValue;
  }

  /** `node` changed (its row and its children); undefined = everything. */
  onDidChange(listener: (node: ExplorerNode | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onDidChangeState(listener: (state: ViewState) => void): () => void {
    return this.inventory.onDidChangeState((state) => listener(viewState(state)));
  }

  /** The first call starts the listing (nothing is read before the view asks); later ones answer from what is known. */
  async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      await this.inventory.ensureLoaded();
      return this.rootChildren();
    }
    switch (node.kind) {
      case 'profile': {
        const entry = this.inventory.profiles.find((p) => this.profileNodes.get(p) === node);
        return entry ? this.profileContents(entry) : [];
      }
      case 'region': {
        const entry = this.inventory.regions().find((r) => this.regionNodes.get(r) === node);
        return entry ? this.regionContents(entry) : [];
      }
      case 'instance':
        return node.forwards?.length ? [this.forwardsNode(node)] : [];
      case 'forwards':
        return node.forwards.map((forward) => this.forwardNode(forward, node));
      default:
        return [];
    }
  }

  setFilter(text: string | undefined): void {
    this.terms = parseFilter(text);
    this.filterValue = this.terms.length ? text?.trim() : undefined;
    for (const region of this.inventory.regions()) this.regionNode(region);
    this.emit(undefined);
  }

  dispose(): void {
    this.unsubscribe();
    this.unsubscribeForwards();
    this.listeners.clear();
  }

  /**
   * A forward started, stopped or changed: an instance that gained or lost one is shown again (its row gets or
   * loses "Forwarded ports"); otherwise only its "Forwarded ports" rows are (their state and connections).
   */
  private forwardsChanged(): void {
    const running = this.forwards.list();
    const before = this.shownForwards;
    const after = byInstance(running);
    this.shownForwards = after;
    const live = new Set(running.map((forward) => forward.id));
    for (const id of [...this.forwardNodes.keys()]) if (!live.has(id)) this.forwardNodes.delete(id);
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(key) ?? [];
      const now = after.get(key) ?? [];
      const sameRows = was.length === now.length && was.every((forward, i) => forward === now[i]);
      for (const node of this.instanceNodesOfKey(key)) {
        node.forwards = now;
        const group = this.forwardsNodes.get(node);
        if (group) group.forwards = now;
        if (!sameRows) this.emit(node);
        else if (group) this.emit(group);
      }
    }
  }

  private instanceNodesOfKey(key: string): InstanceNode[] {
    const [region, instanceId] = key.split('/');
    return this.inventory
      .regions()
      .filter((r) => r.target.region === region)
      .flatMap((r) => this.instanceNodes.get(r)?.get(instanceId) ?? []);
  }

  private forwardsNode(node: InstanceNode): ForwardsNode {
    let group = this.forwardsNodes.get(node);
    if (!group) this.forwardsNodes.set(node, (group = { kind: 'forwards', instance: node.instance, forwards: [] }));
    group.instance = node.instance;
    group.forwards = node.forwards ?? [];
    return group;
  }

  private forwardNode(forward: Forward, group: ForwardsNode): ForwardNode {
    let node = this.forwardNodes.get(forward.id);
    if (!node) this.forwardNodes.set(forward.id, (node = { kind: 'forward', forward, parentId: forwardsNodeId(group.instance) }));
    return node;
  }

  private changed(change: InventoryChange): void {
    if (change.scope === 'all') return this.emit(undefined);
    if (change.scope === 'profile') {
      for (const region of change.profile.regions) this.regionNode(region);
      return this.emit(this.containerOf(change.profile));
    }
    this.regionNode(change.region);
    this.emit(this.instancesContainerOf(change.region));
  }

  private rootChildren(): ExplorerNode[] {
    const failure = this.inventory.readFailure;
    if (failure) {
      return [
        {
          kind: 'message',
          id: 'load-error',
          label: 'Could not read the AWS configuration',
          description: failure,
          tooltip: `${failure}\nFix ~/.aws/config or ~/.aws/credentials (Open AWS Config File), then Refresh.`,
          icon: 'error',
        },
      ];
    }
    const profiles = this.inventory.profiles;
    if (this.showProfiles()) return profiles.map((p) => this.problemNode(p) ?? this.profileNode(p));
    const only = profiles[0];
    if (!only) return [];
    const problem = this.problemNode(only);
    return problem ? [problem] : this.profileContents(only);
  }

  private profileContents(entry: InventoryProfile): ExplorerNode[] {
    if (entry.problem) return [];
    if (this.showRegions(entry)) return entry.regions.map((r) => this.failureNode(r) ?? this.regionNode(r));
    const only = entry.regions[0];
    if (!only) return [];
    const failed = this.failureNode(only);
    return failed ? [failed] : this.regionContents(only);
  }

  private regionContents(region: InventoryRegion): ExplorerNode[] {
    const nodes = this.instanceNodesOf(region);
    const shown = region.instances().filter((i) => matchesFilter(i, this.terms)).map((instance) => {
      let node = nodes.get(instance.instanceId);
      if (node) node.instance = instance;
      else nodes.set(instance.instanceId, (node = { kind: 'instance', instance }));
      node.reach = instance.platform === 'linux' ? reachOf(instance, this.connectionTypeFor(instance.instanceId), region.endpoints) : undefined;
      node.forwards = this.shownForwards.get(forwardKey(instance)) ?? [];
      return node;
    });
    if (shown.length) return shown;
    const id = regionNodeId(region.profile.profile, region.target.region);
    if (region.status === 'loading') return [{ kind: 'message', id: `${id}:loading`, label: 'Loading instances…', icon: 'loading~spin' }];
    if (region.size === 0) return [{ kind: 'message', id: `${id}:empty`, label: `No instances in ${region.target.region}`, icon: 'info' }];
    return [{ kind: 'message', id: `${id}:nomatch`, label: `No instances match "${this.filterValue ?? ''}"`, icon: 'filter' }];
  }

  private problemNode(entry: InventoryProfile): ExplorerNode | undefined {
    return entry.problem && { kind: 'profileError', profile: entry.profile, problem: entry.problem.kind, message: entry.problem.message };
  }

  /** A failed or skipped region's row, in place of the region. */
  private failureNode(region: InventoryRegion): ExplorerNode | undefined {
    const { profile } = region.profile;
    if (region.failure) return { kind: 'regionError', profile, region: region.target.region, message: region.failure.message };
    if (!region.skipped) return undefined;
    const skipped: MessageNode = {
      kind: 'message',
      id: `${regionNodeId(profile, region.target.region)}:skipped`,
      label: region.target.region,
      description: 'skipped: opt-in region not enabled for this account',
      tooltip: `${region.target.region} is an opt-in region that this account has not enabled, so it was skipped. Enable it in the AWS console (Account settings), or choose other regions.`,
      icon: 'info',
    };
    return skipped;
  }

  private profileNode(entry: InventoryProfile): ProfileNode {
    let node = this.profileNodes.get(entry);
    if (!node) {
      node = { kind: 'profile', profile: entry.profile, regions: entry.regions.map((r) => r.target.region) };
      this.profileNodes.set(entry, node);
    }
    return node;
  }

  /** The region's row, brought up to date with its listing and the filter. */
  private regionNode(region: InventoryRegion): RegionNode {
    let node = this.regionNodes.get(region);
    if (!node) {
      const expanded = region.profile.regions.length <= expandRegionsUpTo;
      node = { kind: 'region', profile: region.profile.profile, region: region.target.region, status: 'loading', total: 0, expanded };
      this.regionNodes.set(region, node);
    }
    // Counted, not sorted: a page's change updates every region's row, most of them collapsed (the sort waits
    // for a region's children to be asked for).
    node.status = region.status;
    node.total = region.size;
    node.matching = this.terms.length ? region.instances().filter((i) => matchesFilter(i, this.terms)).length : undefined;
    return node;
  }

  private instanceNodesOf(region: InventoryRegion): Map<string, InstanceNode> {
    let nodes = this.instanceNodes.get(region);
    if (!nodes) this.instanceNodes.set(region, (nodes = new Map()));
    return nodes;
  }

  private showProfiles(): boolean {
    return this.inventory.profiles.length > 1 || this.settings().alwaysShowProfiles;
  }

  private showRegions(entry: InventoryProfile): boolean {
    return entry.regions.length > 1 || this.settings().alwaysShowRegions;
  }

  /** The node whose children are this profile's rows (undefined = the root). */
  private containerOf(profile: InventoryProfile): ExplorerNode | undefined {
    return this.showProfiles() && !profile.problem ? this.profileNode(profile) : undefined;
  }

  /** The node whose children are this region's instances. */
  private instancesContainerOf(region: InventoryRegion): ExplorerNode | undefined {
    return this.showRegions(region.profile) && !region.failure && !region.skipped ? this.regionNode(region) : this.containerOf(region.profile);
  }

  private emit(node: ExplorerNode | undefined): void {
    for (const listener of this.listeners) listener(node);
  }
}

/** Which instance a forward belongs to: its id in its region (a profile more or less names the same instance). */
function forwardKey(instance: { region: string; instanceId: string }): string {
  return `${instance.region}/${instance.instanceId}`;
}

function byInstance(forwards: readonly Forward[]): Map<string, readonly Forward[]> {
  const map = new Map<string, Forward[]>();
  for (const forward of forwards) {
    const key = forwardKey(forward.instance);
    map.set(key, [...(map.get(key) ?? []), forward]);
  }
  return map;
}

function viewState(state: InventoryState): ViewState {
  return state === 'idle' ? 'loading' : state;
}
