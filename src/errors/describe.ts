import { redact } from '../log';
import { isProductError } from './productError';
import type { FailureAction, FailureContext, FailureReport } from './types';
import { requiredPolicy, requiredPermission } from './policy';

const serialConsoleDocs = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-serial-console.html';
const credentialsDocs = 'https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html';

/** "web (i-0abc…) in us-east-1" or what part of it is known. Names are untrusted text, kept plain. */
export function describeTarget(ctx: FailureContext): string {
  const id = ctx.instanceId ?? 'the instance';
  const who = ctx.instanceName ? `${ctx.instanceName} (${id})` : id;
  return ctx.region ? `${who} in ${ctx.region}` : who;
}

function profileText(ctx: FailureContext): string {
  return ctx.profile ? `profile "${ctx.profile}"` : 'the default credentials';
}

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
  $retryable?: unknown;
}

/** Turns any failure into words and actions. Never includes secrets; the service's own text is redacted. */
export function describeFailure(err: unknown, ctx: FailureContext): FailureReport {
  const shape = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  const code = shape.name && shape.name !== 'Error' ? shape.name : (shape.code ?? shape.Code);
  const requestId = shape.$metadata?.requestId;
  const serviceMessage = redact(shape.message ?? String(err));
  const target = describeTarget(ctx);
  const report = (message: string, actions: FailureAction[], extra: Partial<FailureReport> = {}): FailureReport => ({
    message,
    severity: 'error',
    actions,
    code,
    requestId,
    ...extra,
  });

  if (isProductError(err)) return { ...describeProductError(err.kind, err.message, ctx), code: err.kind };

  switch (code) {
    // The service's exceptions (EC2 Instance Connect).
    case 'AuthException':
      return report(
        `Access denied for ${target} with ${profileText(ctx)}: the credentials are invalid, or IAM does not allow ${requiredPermission(ctx.operation)}. ${serviceMessage}`,
        ['showRequiredPolicy', 'switchProfile'],
        { requiredPolicy: requiredPolicy(ctx.operation, ctx) },
      );
    case 'EC2InstanceNotFoundException':
    case 'InvalidInstanceID.NotFound':
      return report(`${target} was not found: it may have been terminated, or it belongs to another account or region.`, ['refresh']);
    case 'InvalidInstanceID.Malformed':
      return report(`"${ctx.instanceId ?? ''}" is not a valid instance id. Instance ids look like i-0123456789abcdef0.`, []);
    case 'EC2InstanceTypeInvalidException':
      return report(
        `The serial console is not available for ${target}: it needs a Nitro-based instance type (or bare metal).`,
        ['learnMore'],
        { learnMoreUrl: serialConsoleDocs },
      );
    case 'InvalidArgsException': {
      const aboutUser = /user/i.test(serviceMessage);
      return report(
        `EC2 Instance Connect rejected the request for ${target}: ${serviceMessage}`,
        aboutUser ? ['chooseAnotherUser'] : [],
      );
    }
    case 'SerialConsoleAccessDisabledException':
      return report(
        `The EC2 serial console is not enabled for this account in ${ctx.region ?? 'this region'}. An administrator can enable it for the account (ec2:EnableSerialConsoleAccess).`,
        ['enableSerialConsole', 'learnMore'],
        { learnMoreUrl: serialConsoleDocs, severity: 'warning' },
      );
    case 'SerialConsoleSessionLimitExceededException':
      return report(
        `${target} already has a serial console session, and only one is allowed per instance. A session that just ended takes about 30 seconds to close.`,
        ['retryIn30s'],
        { severity: 'warning' },
      );
    case 'SerialConsoleSessionUnavailableException':
      return report(`The serial console session for ${target} could not be started. Try again in a moment.`, ['retry']);
    case 'SerialConsoleSessionUnsupportedException':
      return report(
        `The serial console is not supported by ${target}'s current boot firmware state. Rebooting the instance usually fixes this.`,
        ['rebootInstance'],
      );
    case 'ServiceException':
    case 'InternalError':
    case 'InternalFailure':
    case 'ServiceUnavailable':
    case 'Unavailable':
      return report(`AWS had an internal error handling the request for ${target}. Try again in a moment.`, ['retry']);
    case 'EC2InstanceUnavailableException':
      return report(`${target} is temporarily unavailable. Try again in a moment.`, ['retry']);
    case 'EC2InstanceStateInvalidException':
    case 'IncorrectInstanceState':
      if (ctx.instanceState === 'stopped') {
        return report(`${target} is stopped. Start it, then connect.`, ['startInstance'], { severity: 'warning' });
      }
      return report(
        `${target} is not running${ctx.instanceState ? ` (it is ${ctx.instanceState})` : ''}, so it cannot accept a connection. If it was just started or stopped, wait for it to settle.`,
        ctx.instanceState === undefined ? ['startInstance', 'refresh'] : ['refresh'],
        { severity: 'warning' },
      );
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
    case 'Throttling':
    case 'TooManyRequestsException':
      return report(`AWS is throttling requests (${ctx.operation}) even after several retries with backoff. Wait a little, then try again.`, ['retry'], {
        severity: 'warning',
      });

    // Permissions and credentials (EC2 Query errors, STS, SSO, the credential chain).
    case 'UnauthorizedOperation':
    case 'AccessDenied':
    case 'AccessDeniedException':
      return report(
        `Access denied for ${target} with ${profileText(ctx)}: IAM does not allow ${requiredPermission(ctx.operation)}.`,
        ['showRequiredPolicy', 'switchProfile'],
        { requiredPolicy: requiredPolicy(ctx.operation, ctx) },
      );
    case 'AuthFailure':
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
    case 'InvalidAccessKeyId':
      return report(`AWS did not accept the access key of ${profileText(ctx)}: it is unknown, deactivated or deleted. Update the credentials or use another profile.`, [
        'switchProfile',
      ]);
    case 'SignatureDoesNotMatch':
    case 'InvalidSignatureException':
    case 'RequestExpired':
    case 'RequestTimeTooSkewed':
      if (/expired|skew|time/i.test(serviceMessage)) {
        return report(`AWS rejected the request signature because this computer's clock is off. Correct the system time, then try again.`, ['retry']);
      }
      return report(`AWS rejected the request signature of ${profileText(ctx)}: the secret access key does not match the access key id. Update the credentials or use another profile.`, [
        'switchProfile',
      ]);
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'TokenRefreshRequired':
      return report(`The session credentials of ${profileText(ctx)} have expired. Sign in again or refresh them.`, ['signIn', 'switchProfile']);
    case 'OptInRequired':
      return report(`${ctx.region ?? 'This region'} is not enabled for the account of ${profileText(ctx)}. Enable it in the AWS console or choose other regions.`, [
        'openSettings',
      ], { severity: 'warning' });
    case 'CredentialsProviderError':
    case 'ProviderError':
      return describeCredentialError(serviceMessage, ctx);
  }

  const network = (shape.code ?? '').toUpperCase();
  if (['ENOTFOUND', 'EAI_AGAIN'].includes(network)) {
    return report(`Could not resolve the AWS endpoint for ${ctx.region ?? 'the region'} (${serviceMessage}). Check the network, the region name, and any custom endpoint setting.`, [
      'retry',
      'openSettings',
    ]);
  }
  if (['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE'].includes(network) || shape.name === 'TimeoutError') {
    return report(`Could not reach AWS for ${ctx.region ?? 'the region'} (${serviceMessage}). Check the network, a proxy, or the custom endpoint setting.`, ['retry', 'openSettings']);
  }
  if (shape.name === 'AbortError') return report('Cancelled.', [], { severity: 'warning', code: 'cancelled' });

  return report(`${capitalize(ctx.operation)} failed for ${target}: ${serviceMessage}`, ['retry']);
}

function describeCredentialError(message: string, ctx: FailureContext): FailureReport {
  const base = { severity: 'error' as const, code: 'CredentialsProviderError' };
  if (/sso|token/i.test(message) && /expired|invalid|refresh|login/i.test(message)) {
    return { ...base, message: `The AWS sign-in session of ${profileText(ctx)} has expired. Sign in again to continue.`, actions: ['signIn'] };
  }
  if (/could not be found|not found|parsed/i.test(message) && ctx.profile) {
    return {
      ...base,
      message: `The AWS profile "${ctx.profile}" was not found in ~/.aws/config or ~/.aws/credentials.`,
      actions: ['switchProfile'],
      learnMoreUrl: credentialsDocs,
    };
  }
  if (/mfa/i.test(message)) {
    return { ...base, message: `The MFA code for ${profileText(ctx)} was missing or not accepted. Try again with a fresh code.`, actions: ['retry'] };
  }
  return {
    ...base,
    message: `No AWS credentials could be loaded for ${profileText(ctx)}: ${message}`,
    actions: ['switchProfile', 'learnMore'],
    learnMoreUrl: credentialsDocs,
  };
}

function describeProductError(kind: string, message: string, ctx: FailureContext): FailureReport {
  const actions: Record<string, FailureAction[]> = {
    instanceNotFound: ['refresh'],
    instanceNotRunning: ctx.instanceState === 'stopped' ? ['startInstance'] : ['refresh'],
    authRefused: ['chooseAnotherUser', 'retry'],
    unreachable: ['retry'],
    timeout: ['retry'],
    connectionLost: ['retry'],
    hostKeyChanged: [],
    noAddress: ['openSettings'],
    noRegion: ['openSettings'],
    unknownProfile: ['switchProfile'],
  };
  const warnings = new Set(['cancelled', 'configDeclined', 'windowsUnsupported', 'instanceNotRunning', 'remoteSshMissing']);
  return { message, severity: warnings.has(kind) ? 'warning' : 'error', actions: actions[kind] ?? [] };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
