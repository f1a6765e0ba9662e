import type { AwsTarget, Ec2Instance } from '../../src/core/aws/model';
import type { AwsProfile } from '../../src/core/aws/profiles';
import type { AccountRegion } from '../../src/core/aws/regions';
import type { InstanceConnectEndpoint } from '../../src/core/eice/endpoints';
import { describeFailure } from '../../src/core/errors/describe';
import type { FailureContext } from '../../src/core/errors/types';
import type { InventoryBackend } from '../../src/core/inventory/backend';

/** What one (profile, region) answers: pages of instances, or an error (after the pages). */
export interface FakeRegion {
  pages?: Ec2Instance[][];
  error?: unknown;
  /** Resolves when the region may answer: lets a test hold one region back. */
  gate?: Promise<void>;
  /** Resolves when the region may send the pages after its first: lets a test look at a region half listed. */
  afterFirstPage?: Promise<void>;
  /** Its usable Instance Connect Endpoints, or the error their lookup fails with. */
  endpoints?: InstanceConnectEndpoint[] | Error;
}

/** A backend scripted per "profile/region" key (profile '' = the default chain). Records every call. */
export class FakeBackend implements InventoryBackend {
  readonly calls: string[] = [];
  accountRegions: AccountRegion[] = [];

  constructor(
    public profiles: AwsProfile[],
    public regions: Record<string, FakeRegion>,
    readonly env: Record<string, string | undefined> = {},
  ) {}

  static key(target: AwsTarget): string {
    return `${target.profile ?? ''}/${target.region}`;
  }

  async loadProfiles(): Promise<AwsProfile[]> {
    return this.profiles;
  }

  async list(targets: readonly AwsTarget[], options: Parameters<InventoryBackend['list']>[1]): Promise<void> {
    await Promise.all(
      targets.map(async (target) => {
        const key = FakeBackend.key(target);
        this.calls.push(`list ${key}`);
        const region = this.regions[key] ?? { pages: [[]] };
        await region.gate;
        if (options.abortSignal?.aborted) return;
        for (const [index, page] of (region.pages ?? []).entries()) {
          if (index === 1) await region.afterFirstPage;
          if (options.abortSignal?.aborted) return;
          options.onPage(target, page);
        }
        this.calls.push(`done ${key}`);
        await options.onDone(target, region.error);
      }),
    );
  }

  async describeInstances(target: AwsTarget, ids: readonly string[]): Promise<Ec2Instance[]> {
    this.calls.push(`describe ${FakeBackend.key(target)} ${ids.join(',')}`);
    const all = (this.regions[FakeBackend.key(target)]?.pages ?? []).flat();
    return all.filter((i) => ids.includes(i.instanceId));
  }

  /** The core's words, as the real backend's. */
  describeFailure(error: unknown, context: FailureContext): string {
    return describeFailure(error, context).message;
  }

  async describeEndpoints(target: AwsTarget): Promise<InstanceConnectEndpoint[]> {
    this.calls.push(`endpoints ${FakeBackend.key(target)}`);
    const endpoints = this.regions[FakeBackend.key(target)]?.endpoints ?? [];
    if (endpoints instanceof Error) throw endpoints;
    return endpoints;
  }

  async describeRegions(target: AwsTarget): Promise<AccountRegion[]> {
    this.calls.push(`regions ${FakeBackend.key(target)}`);
    return this.accountRegions;
  }
}

/** An error shaped like the SDK's: `name` is the AWS error code. */
export function awsError(name: string, message = `${name} happened`): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}
