import { oneLine } from '../base/sanitize';
import type { FailureContext } from './types';

/** "web (i-0abc…) in us-east-1", or what part of it is known. Names are untrusted text, kept plain. */
export function describeTarget(ctx: Partial<FailureContext>): string {
  const id = ctx.instanceId ?? 'the instance';
  const name = ctx.instanceName ? oneLine(ctx.instanceName) : '';
  const who = name ? `${name} (${id})` : id;
  return ctx.region ? `${who} in ${ctx.region}` : who;
}

/** "web (i-0abc…) in us-east-1": how the core's messages name an instance, as failure descriptions do. */
export function instanceDescription(instance: { instanceId: string; name?: string; region: string }): string {
  return describeTarget({ instanceId: instance.instanceId, instanceName: instance.name, region: instance.region });
}

export function profileText(ctx: Pick<FailureContext, 'profile'>): string {
  return ctx.profile ? `profile "${ctx.profile}"` : 'the default credentials';
}

export function regionText(ctx: Pick<FailureContext, 'region'>): string {
  return ctx.region ?? 'the region';
}

/**
 * What the user was doing, as the end of "Could not …": "connect to the serial console of web (i-0abc…)
 * in us-east-1". Operations are the product's steps and the API operations behind them.
 */
export function activity(ctx: FailureContext): string {
  const target = describeTarget(ctx);
  switch (commandOperations[ctx.operation] ?? ctx.operation) {
    case 'connect':
    case 'SendSSHPublicKey':
      return `connect to ${target}`;
    case 'serialConsole':
    case 'SendSerialConsoleSSHPublicKey':
      return `connect to the serial console of ${target}`;
    case 'remoteSSH':
      return `open ${target} in Remote-SSH`;
    case 'StartInstances':
      return `start ${target}`;
    case 'StopInstances':
      return `stop ${target}`;
    case 'RebootInstances':
      return `reboot ${target}`;
    case 'DescribeInstances':
      return ctx.instanceId ? `look up ${target}` : `list the instances in ${regionText(ctx)}`;
    case 'DescribeImages':
      return `look up the image of ${target}`;
    case 'DescribeRegions':
      return 'list the regions of the account';
    case 'GetSerialConsoleAccessStatus':
      return `check whether the serial console is enabled in ${regionText(ctx)}`;
    case 'EnableSerialConsoleAccess':
      return `enable the serial console for the account in ${regionText(ctx)}`;
    case 'OpenTunnel':
    case 'openTunnel':
      return `open a tunnel through EC2 Instance Connect Endpoint to ${target}`;
    case 'DescribeInstanceConnectEndpoints':
      return ctx.instanceId ? `find an EC2 Instance Connect Endpoint for ${target}` : `list the EC2 Instance Connect Endpoints in ${regionText(ctx)}`;
    case 'CreateInstanceConnectEndpoint':
      return `create an EC2 Instance Connect Endpoint in ${regionText(ctx)}`;
    case 'signIn':
      return `sign in with ${profileText(ctx)}`;
    default:
      return `run ${ctx.operation}${ctx.instanceId ? ` on ${target}` : ''}`;
  }
}

/** Commands that fail before they reach their own reporting (runCommand names them by id): the operation each one is. */
const commandOperations: Record<string, string> = {
  connectSerialConsole: 'serialConsole',
  openInRemoteSSH: 'remoteSSH',
  startInstance: 'StartInstances',
  stopInstance: 'StopInstances',
  rebootInstance: 'RebootInstances',
  enableSerialConsoleAccess: 'EnableSerialConsoleAccess',
  chooseRegions: 'DescribeRegions',
};
