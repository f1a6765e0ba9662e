/** The `ec2InstanceConnect.*` settings as the core sees them: plain data, read by the editor layer or the CLI. */
/** The old `usePrivateAddress` setting, still read (and still accepted by `ec2ic proxy --private-address`): see `connectionTypeOf`. */
export type PrivateAddressPolicy = 'never' | 'whenNoPublicAddress' | 'always';
/**
 * How an instance is reached (AWS CLI v2's `--connection-type`, plus `privateAddress` for VPN users):
 * - `auto`: its public IPv4 address, else its private IPv4 address through an EC2 Instance Connect Endpoint, else its IPv6 address;
 * - `direct`: straight to its public IPv4, else IPv6, else private IPv4 address;
 * - `privateAddress`: straight to its private IPv4 address (this computer is in its VPC, or on a VPN to it);
 * - `eice`: its private IPv4 address through an EC2 Instance Connect Endpoint.
 */
export type ConnectionType = 'auto' | 'direct' | 'privateAddress' | 'eice';
export const connectionTypes: readonly ConnectionType[] = ['auto', 'direct', 'privateAddress', 'eice'];

/** What the old setting meant, as a connection type: `never` is today's default (`auto`). */
export function connectionTypeOf(policy: PrivateAddressPolicy): ConnectionType {
  return policy === 'always' ? 'privateAddress' : policy === 'whenNoPublicAddress' ? 'direct' : 'auto';
}
export type KeyTypeSetting = 'auto' | 'ed25519' | 'rsa';

export interface Settings {
  profiles: string[];
  regions: string[];
  alwaysShowProfiles: boolean;
  alwaysShowRegions: boolean;
  /** Custom endpoint for EC2 and EC2 Instance Connect; empty = AWS (or AWS_ENDPOINT_URL*). */
  endpoint: string;
  /** The default way in; an instance may have its own (remembered when chosen). The old usePrivateAddress is folded into it. */
  connectionType: ConnectionType;
  port: number;
  keyType: KeyTypeSetting;
  connectTimeoutSeconds: number;
  keepaliveIntervalSeconds: number;
  autoRefreshIntervalSeconds: number;
  serialConsole: { endpoint: string; port: number; fingerprint: string };
  /** `configFile` is Remote-SSH's own setting (remote.SSH.configFile): the ssh config it reads; empty = ~/.ssh/config. */
  remoteSSH: { openInNewWindow: boolean; configFile: string };
}

export const defaultSettings: Settings = {
  profiles: [],
  regions: [],
  alwaysShowProfiles: false,
  alwaysShowRegions: false,
  endpoint: '',
  connectionType: 'auto',
  port: 22,
  keyType: 'auto',
  connectTimeoutSeconds: 15,
  keepaliveIntervalSeconds: 15,
  autoRefreshIntervalSeconds: 5,
  serialConsole: { endpoint: '', port: 22, fingerprint: '' },
  remoteSSH: { openInNewWindow: true, configFile: '' },
};
