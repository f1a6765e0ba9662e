import { activity, describeTarget, profileText, regionText } from './activity';
import { requiredPermission, requiredPolicy } from './policy';
import type { FailureContext, FailureReport } from './types';

export type Description = Omit<FailureReport, 'code' | 'requestId'>;

export const serialConsoleDocs = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-serial-console.html';
export const serialConsolePrerequisitesDocs = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-serial-console-prerequisites.html';

const error = (message: string, actions: Description['actions'], extra: Partial<Description> = {}): Description => ({
  message,
  severity: 'error',
  actions,
  ...extra,
});
const warning = (message: string, actions: Description['actions'], extra: Partial<Description> = {}): Description => ({
  message,
  severity: 'warning',
  actions,
  ...extra,
});

export function isSerial(ctx: FailureContext): boolean {
  return ctx.operation === 'serialConsole' || ctx.operation === 'SendSerialConsoleSSHPublicKey';
}

/** The serial console is turned off for the account: the exception, or what GetSerialConsoleAccessStatus said before the push. */
export function serialConsoleDisabled(ctx: FailureContext): Description {
  return warning(
    `Could not ${activity(ctx)}: the EC2 serial console is turned off for this AWS account in ${regionText(ctx)}. ` +
      'It is one setting for the whole account in each region; someone allowed to call ec2:EnableSerialConsoleAccess can turn it on.',
    ['enableSerialConsole', 'learnMore'],
    { learnMoreUrl: serialConsolePrerequisitesDocs },
  );
}

/** "Instance X is not running" with the fix that fits its state. */
export function notRunning(ctx: FailureContext): Description {
  const target = describeTarget(ctx);
  if (ctx.instanceState === 'stopped') return warning(`Could not ${activity(ctx)}: it is stopped. Start it, then connect again.`, ['startInstance']);
  if (ctx.instanceState === 'running') {
    // EC2 lists it as running, yet refuses: it is starting, stopping or rebooting right now.
    return warning(`Could not ${activity(ctx)}: EC2 says it is not in a state that takes connections right now. Wait a moment, refresh, and try again.`, ['refresh']);
  }
  const state = ctx.instanceState ? ` (it is ${ctx.instanceState})` : '';
  return warning(
    `Could not ${activity(ctx)}: ${target} is not running${state}. If it was just started or stopped, wait for it to settle, refresh, and try again.`,
    ['refresh'],
  );
}

/**
 * The twelve exceptions of EC2 Instance Connect, and the EC2 error codes that mean the same, in words a
 * user acts on. Undefined for codes that are not the service's (credentials, network: see the other modules).
 */
export function describeServiceFailure(code: string | undefined, serviceMessage: string, ctx: FailureContext): Description | undefined {
  const target = describeTarget(ctx);
  switch (code) {
    case 'AuthException': {
      const permission = requiredPermission(ctx.operation, serviceMessage);
      return error(
        `Could not ${activity(ctx)}: AWS denied ${permission} to ${profileText(ctx)}. ` +
          `An IAM policy must allow ${permission} on this instance (or the credentials are not valid): ask an administrator to grant it, or use another profile.`,
        ['showRequiredPolicy', 'switchProfile'],
        { requiredPolicy: requiredPolicy(ctx, serviceMessage) },
      );
    }
    case 'EC2InstanceNotFoundException':
    case 'InvalidInstanceID.NotFound':
      return error(
        `Could not ${activity(ctx)}: there is no such instance in ${regionText(ctx)} for ${profileText(ctx)}. It may have been terminated, or it belongs to another account or region.`,
        ['refresh'],
      );
    case 'InvalidInstanceID.Malformed':
      return error(`"${ctx.instanceId ?? ''}" is not an instance id. Instance ids look like i-0123456789abcdef0.`, []);
    case 'EC2InstanceTypeInvalidException':
      return error(
        `Could not ${activity(ctx)}: its instance type does not support the serial console, which needs a Nitro-based type (or bare metal). ` +
          'Use Connect instead, or change the instance type.',
        ['learnMore'],
        { learnMoreUrl: serialConsolePrerequisitesDocs },
      );
    case 'InvalidArgsException': {
      const aboutUser = !isSerial(ctx) && /user/i.test(serviceMessage);
      return error(
        `Could not ${activity(ctx)}: EC2 Instance Connect rejected the request: ${serviceMessage}${aboutUser ? ' Choose another OS user.' : ''}`,
        aboutUser ? ['chooseAnotherUser'] : [],
      );
    }
    case 'SerialConsoleAccessDisabledException':
      return serialConsoleDisabled(ctx);
    case 'SerialConsoleSessionLimitExceededException':
      return warning(
        `Could not ${activity(ctx)}: it already has a serial console session (in another window, or another person's), and EC2 allows one per instance. ` +
          'When a session ends, a new one can start about 30 seconds later.',
        ['retryIn30s'],
      );
    case 'SerialConsoleSessionUnavailableException':
      return error(`Could not ${activity(ctx)}: EC2 could not start a serial console session this time. Try again in a moment.`, ['retry']);
    case 'SerialConsoleSessionUnsupportedException':
      return error(
        `Could not ${activity(ctx)}: ${target} does not support serial console sessions until it has been rebooted (its firmware predates them). Reboot it, then connect again.`,
        ['rebootInstance'],
      );
    case 'ServiceException':
    case 'InternalError':
    case 'InternalFailure':
    case 'ServiceUnavailable':
    case 'Unavailable':
      return error(`Could not ${activity(ctx)}: AWS had an internal error. Try again in a moment.`, ['retry']);
    case 'EC2InstanceUnavailableException':
      return error(`Could not ${activity(ctx)}: EC2 says the instance is temporarily unavailable. Try again in a few minutes.`, ['retry']);
    case 'EC2InstanceStateInvalidException':
    case 'IncorrectInstanceState':
      return notRunning(ctx);
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
    case 'Throttling':
    case 'TooManyRequestsException':
      return warning(`Could not ${activity(ctx)}: AWS is throttling requests in ${regionText(ctx)}, even after retrying with backoff. Wait a few seconds, then try again.`, [
        'retry',
      ]);
    case 'UnauthorizedOperation':
    case 'AccessDenied':
    case 'AccessDeniedException': {
      const permission = requiredPermission(ctx.operation, serviceMessage);
      return error(
        `Could not ${activity(ctx)}: IAM does not allow ${permission} for ${profileText(ctx)}. Ask an administrator to grant it, or use another profile.`,
        ['showRequiredPolicy', 'switchProfile'],
        { requiredPolicy: requiredPolicy(ctx, serviceMessage) },
      );
    }
    case 'OptInRequired':
      return warning(`${regionText(ctx)} is not enabled for the account of ${profileText(ctx)}. Enable it in the AWS console (Account settings), or choose other regions.`, [
        'openSettings',
      ], { settingsQuery: 'ec2InstanceConnect.regions' });
  }
  return undefined;
}
