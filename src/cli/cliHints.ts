import { describeFailure } from '../core/errors/describe';
import { isProductError, ProductError } from '../core/errors/productError';
import { inCliWords } from '../core/errors/settingNames';
import type { FailureContext } from '../core/errors/types';

/**
 * What ec2ic prints for a failure: the editor's message, with its actions ("choose another user", "Create
 * Instance Connect Endpoint…") and settings said as a shell says them (options, commands).
 */
export function cliMessage(err: unknown, ctx: FailureContext): string {
  return inCliWords(describeFailure(withActionHint(err), ctx).message);
}

function withActionHint(err: unknown): unknown {
  if (isProductError(err, 'authRefused')) {
    return new ProductError(err.kind, `${err.message} Pass --user to log in as another user.`, err.facts);
  }
  if (isProductError(err, 'noEndpoint')) {
    const subnet = typeof err.facts.subnetId === 'string' ? err.facts.subnetId : 'SUBNET';
    return new ProductError(err.kind, `${err.message} To create one: aws ec2 create-instance-connect-endpoint --subnet-id ${subnet}`, err.facts);
  }
  if (isProductError(err, 'windowsUnsupported') && typeof err.facts.instanceId === 'string') {
    const region = typeof err.facts.region === 'string' ? ` --region ${err.facts.region}` : '';
    return new ProductError(err.kind, `${err.message} A tunnel for your RDP client: ec2ic open-tunnel --instance-id ${err.facts.instanceId}${region} --remote-port 3389 --local-port 3389`, err.facts);
  }
  return err;
}
