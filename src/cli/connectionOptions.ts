import { type ConnectionType, connectionTypes, defaultSettings } from '../core/base/settings';
import { ProductError } from '../core/errors/productError';
import { type OptionSpec, type ParsedArgs, stringOption, wholeNumberOption } from './args';

/** How to reach the instance, with AWS CLI v2's option names where it has them: ssh, proxy and ssh-config take them all. */
export const connectionOptionSpec = {
  'connection-type': { type: 'string' },
  'eice-id': { type: 'string' },
  endpoint: { type: 'string' },
  'connect-timeout': { type: 'string' },
} as const satisfies OptionSpec;

export const connectionOptionsUsage = `  --connection-type T  How to reach it: auto (default: its public IPv4 address, else its private IPv4 address
                       through an EC2 Instance Connect Endpoint, else its IPv6 address), direct (public IPv4,
                       else IPv6, else private IPv4, straight), privateAddress (straight to the private address:
                       a VPN or inside the VPC), or eice (through an endpoint).
  --eice-id ID         The EC2 Instance Connect Endpoint to go through. Default: the one in the instance's
                       subnet, else one in its VPC.
  --endpoint URL       A custom endpoint for EC2 and EC2 Instance Connect (else AWS_ENDPOINT_URL, else AWS).
  --connect-timeout S  Seconds each stage of connecting may take (TCP or the tunnel, the SSH handshake,
                       authentication, the session). Default: 15.`;

export interface ConnectionOptions {
  connectionType?: ConnectionType;
  endpointId?: string;
  /** The custom API endpoint, if any. */
  endpoint?: string;
  connectTimeoutSeconds: number;
}

export function connectionOptions(args: ParsedArgs): ConnectionOptions {
  const type = stringOption(args, 'connection-type');
  const connectionType = type === undefined ? undefined : connectionTypes.find((t) => t === type);
  if (type !== undefined && !connectionType) {
    throw new ProductError('badInput', `--connection-type ${type}: use one of ${connectionTypes.join(', ')}.`);
  }
  const endpointId = stringOption(args, 'eice-id');
  if (endpointId !== undefined && !/^eice-[0-9a-f]{8,17}$/.test(endpointId)) {
    throw new ProductError('badInput', `--eice-id ${endpointId}: an endpoint id looks like eice-0123456789abcdef0.`);
  }
  if (endpointId && connectionType && connectionType !== 'eice' && connectionType !== 'auto') {
    throw new ProductError('badInput', `--eice-id goes with --connection-type eice (or auto), not ${connectionType}.`);
  }
  const connectTimeoutSeconds = connectTimeoutOption(args);
  // Naming an endpoint means going through it, as AWS CLI v2 does with --instance-connect-endpoint-id.
  return { connectionType: endpointId && !connectionType ? 'eice' : connectionType, endpointId, endpoint: stringOption(args, 'endpoint') || undefined, connectTimeoutSeconds };
}

/** --connect-timeout: seconds each stage of connecting may take (the serial console takes it too). */
export function connectTimeoutOption(args: ParsedArgs): number {
  return wholeNumberOption(args, 'connect-timeout', 1, 3600, 'a whole number of seconds') ?? defaultSettings.connectTimeoutSeconds;
}
