/** What a failure becomes for the user: plain words, and the actions that fix it. Shared by the editor and the CLI. */

/** Actions a notification can offer. The editor layer maps each to what it does; the CLI prints none. */
export type FailureAction =
  | 'retry'
  | 'retryIn30s'
  | 'refresh'
  | 'startInstance'
  | 'rebootInstance'
  | 'enableSerialConsole'
  | 'chooseAnotherUser'
  | 'showRequiredPolicy'
  | 'switchProfile'
  | 'signIn'
  | 'openAwsConfig'
  | 'trustNewHostKey'
  | 'openSettings'
  | 'createEndpoint'
  | 'chooseAnotherPort'
  | 'openRdpTunnel'
  | 'learnMore';

export const actionTitles: Record<FailureAction, string> = {
  retry: 'Retry',
  retryIn30s: 'Retry in 30 s',
  refresh: 'Refresh',
  startInstance: 'Start Instance',
  rebootInstance: 'Reboot Instance…',
  enableSerialConsole: 'Enable for This Account…',
  chooseAnotherUser: 'Choose Another User',
  showRequiredPolicy: 'Show Required Policy',
  switchProfile: 'Switch Profile',
  signIn: 'Sign In',
  openAwsConfig: 'Open AWS Config File',
  trustNewHostKey: 'Trust New Key',
  openSettings: 'Open Settings',
  createEndpoint: 'Create Instance Connect Endpoint…',
  chooseAnotherPort: 'Choose Another Port…',
  openRdpTunnel: 'Open RDP Tunnel…',
  learnMore: 'Learn More',
};

/** What was being done when it failed. Every field is optional; the more there is, the better the message. */
export interface FailureContext {
  /**
   * The API operation or product step, e.g. 'SendSSHPublicKey', 'DescribeInstances', 'connect', 'serialConsole':
   * decides how messages say what was being done (see activity.ts) and which IAM action a denial is about.
   */
  operation: string;
  instanceId?: string;
  /** The Name tag, shown beside the id. Untrusted: plain text only. */
  instanceName?: string;
  region?: string;
  profile?: string;
  osUser?: string;
  host?: string;
  port?: number;
  /** The instance's state when known, e.g. to offer Start for a stopped instance. */
  instanceState?: string;
  /** The EC2 Instance Connect Endpoint the connection went through, when it did. */
  endpointId?: string;
}

export interface FailureReport {
  /** One or two sentences: what happened, why, and what to do. Plain text. */
  message: string;
  severity: 'error' | 'warning';
  actions: FailureAction[];
  /** The exception or error code, for the log. */
  code?: string;
  /** AWS's request id, for the log and for support. */
  requestId?: string;
  /** For AuthException: the IAM policy that would allow the operation. */
  requiredPolicy?: object;
  /** For learnMore. */
  learnMoreUrl?: string;
  /** For openSettings: the settings to show (a search of the Settings editor), e.g. `ec2InstanceConnect.endpoint`. */
  settingsQuery?: string;
}
