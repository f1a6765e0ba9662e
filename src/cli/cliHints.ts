import { isProductError, ProductError } from '../core/errors/productError';

/** The editor's messages name its actions ("choose another user", "Create Instance Connect Endpoint…"); in a shell they are options and commands. */
export function withCliHint(err: unknown): unknown {
  if (isProductError(err, 'authRefused')) {
    return new ProductError(err.kind, `${err.message} Pass --user to log in as another user.`, err.facts);
  }
  if (isProductError(err, 'noEndpoint')) {
    const subnet = typeof err.facts.subnetId === 'string' ? err.facts.subnetId : 'SUBNET';
    const message = err.message.replace(' (Create Instance Connect Endpoint…)', '').replace('(connection type "privateAddress")', '(--connection-type privateAddress)');
    return new ProductError(err.kind, `${message} To create one: aws ec2 create-instance-connect-endpoint --subnet-id ${subnet}`, err.facts);
  }
  return err;
}
