import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import type { Services } from '../services/services';

/**
 * "Create Instance Connect Endpoint…": a modal naming what is created and where (the instance's VPC and
 * subnet, the VPC's default security group as AWS uses when none is given) and what it needs, then
 * CreateInstanceConnectEndpoint and a progress notification until it is create-complete (minutes on AWS).
 * Resolves true once the endpoint is ready; false when the user declined. A failure (IAM, a quota, a
 * subnet that cannot hold one) is thrown for the caller to report.
 */
export async function confirmAndCreateEndpoint(services: Services, instance: Ec2Instance): Promise<boolean> {
  const { vpcId, subnetId } = instance;
  if (!vpcId || !subnetId) return false;
  const groups = instance.securityGroupIds?.length ? instance.securityGroupIds.join(', ') : 'its security groups';
  const choice = await services.ui.showMessage('warning', `Create an EC2 Instance Connect Endpoint in ${vpcId}?`, ['Create'], {
    modal: true,
    detail:
      `To reach ${instanceTitle(instance)}, which has no public address, an endpoint is created in its subnet ${subnetId} ` +
      `(VPC ${vpcId}, ${instance.region}), with the VPC's default security group. ` +
      `The instance's security groups (${groups}) must allow SSH (TCP 22) from that group. ` +
      'An endpoint costs nothing; whoever IAM allows ec2-instance-connect:OpenTunnel on it can then open tunnels into the VPC. ' +
      'It takes a few minutes to become ready, and can be deleted in the EC2 console (VPC → Endpoints).',
  });
  if (choice !== 'Create') return false;
  const core = services.core();
  const log = services.log.child('eice');
  const target = { profile: instance.profile, region: instance.region };
  const ec2 = services.aws().ec2Client(target);
  const endpoint = await services.ui.withProgress(`Creating an EC2 Instance Connect Endpoint in ${vpcId}…`, async (signal, report) => {
    const created = await core.createEndpoint(ec2, { region: instance.region, subnetId }, signal);
    log.info(`${created.id} created in ${subnetId} (${vpcId}, ${instance.region}): ${created.state}`);
    report(created.state);
    return core.waitForEndpoint(ec2, instance.region, created.id, { signal, onState: (state) => report(state) });
  });
  log.info(`${endpoint.id} is ${endpoint.state}`);
  // Its region is looked up again: by Connect's next connection, and now for the rows (the lookup they share).
  services.connector().endpoints.forget(target);
  await services.inventory.refreshEndpoints(instance.profile, instance.region);
  return true;
}
