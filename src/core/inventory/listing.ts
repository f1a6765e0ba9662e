import type { AwsClients } from '../aws/clients';
import { listInstances } from '../aws/instances';
import type { AwsTarget, Ec2Instance } from '../aws/model';
import { forEachBounded } from '../base/bounded';

/**
 * Regions listed at once. Above the 17 regions every account has, so one profile's regions all start
 * together; the bound matters with many profiles or every opt-in region chosen.
 */
export const defaultListingConcurrency = 24;

export interface ListEverywhereOptions {
  concurrency?: number;
  abortSignal?: AbortSignal;
  /** DescribeInstances page size, 5..1000. */
  pageSize?: number;
  /** Each page as it arrives: a region's instances can be shown before its last page, and before other regions answer. */
  onPage(target: AwsTarget, instances: Ec2Instance[]): void;
  /** Once per target: its listing ended, with the error if it failed (never after an abort). */
  onDone(target: AwsTarget, error?: unknown): void | Promise<void>;
}

/** Lists every (profile, region) target in parallel with a bound; a failing target does not stop the others. */
export async function listEverywhere(clients: AwsClients, targets: readonly AwsTarget[], options: ListEverywhereOptions): Promise<void> {
  const signal = options.abortSignal;
  await forEachBounded(
    targets,
    options.concurrency ?? defaultListingConcurrency,
    async (target) => {
      let failure: unknown;
      try {
        await listInstances(clients.ec2Client(target), target, {
          abortSignal: signal,
          pageSize: options.pageSize,
          onPage: (instances) => {
            if (!signal?.aborted) options.onPage(target, instances);
          },
        });
      } catch (err) {
        failure = err;
      }
      if (!signal?.aborted) await options.onDone(target, failure);
    },
    signal,
  );
}
