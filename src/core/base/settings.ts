/** The `ec2InstanceConnect.*` settings as the core sees them: plain data, read by the editor layer or the CLI. */
export type PrivateAddressPolicy = 'never' | 'whenNoPublicAddress' | 'always';
export type KeyTypeSetting = 'auto' | 'ed25519' | 'rsa';

export interface Settings {
  profiles: string[];
  regions: string[];
  alwaysShowProfiles: boolean;
  alwaysShowRegions: boolean;
  /** Custom endpoint for EC2 and EC2 Instance Connect; empty = AWS (or AWS_ENDPOINT_URL*). */
  endpoint: string;
  usePrivateAddress: PrivateAddressPolicy;
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
  usePrivateAddress: 'never',
  port: 22,
  keyType: 'auto',
  connectTimeoutSeconds: 15,
  keepaliveIntervalSeconds: 15,
  autoRefreshIntervalSeconds: 5,
  serialConsole: { endpoint: '', port: 22, fingerprint: '' },
  remoteSSH: { openInNewWindow: true, configFile: '' },
};
