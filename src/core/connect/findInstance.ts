import type { AwsClients } from '../aws/clients';
import { describeInstance } from '../aws/instances';
import type { Ec2Instance } from '../aws/model';
import { ProductError } from '../errors/productError';

/** The instance as EC2 describes it now; `instanceNotFound` when the region has no instance by that id. */
export async function findInstance(aws: AwsClients, ref: { instanceId: string; region: string; profile?: string }, signal?: AbortSignal): Promise<Ec2Instance> {
  const target = { profile: ref.profile, region: ref.region };
  const instance = await describeInstance(aws.ec2Client(target), target, ref.instanceId, signal);
  if (!instance) {
    throw new ProductError(
      'instanceNotFound',
      `There is no instance ${ref.instanceId} in ${ref.region}${ref.profile ? ` for profile "${ref.profile}"` : ''}: it may have been terminated, or it is in another region or account.`,
    );
  }
  return instance;
}
