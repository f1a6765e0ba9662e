import { activity, profileText } from './activity';
import type { Description } from './serviceFailures';
import type { FailureContext } from './types';

export const credentialsDocs = 'https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html';
const clockDocs = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html';
export const enableRegionDocs = 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html';

const providerErrors = new Set(['CredentialsProviderError', 'TokenProviderError', 'ProviderError']);
const expiredTokens = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpiredException']);
const unknownKeys = new Set(['AuthFailure', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'MissingAuthenticationToken']);
/**
 * What a region the account has not enabled answers (EC2 AuthFailure, the JSON APIs UnrecognizedClientException),
 * with the same words as for an unknown key: both are possible, and the message says both.
 */
const maybeRegionNotEnabled = new Set(['AuthFailure', 'UnrecognizedClientException']);
const badSignatures = new Set(['SignatureDoesNotMatch', 'InvalidSignatureException', 'RequestExpired', 'RequestTimeTooSkewed']);

/** AWS answers a request signed with a clock more than 5 minutes off with these words, whatever the code. */
const clockWords = /signature expired|not yet current|time ?too ?skewed|request has expired|clock/i;

/**
 * Failures of the credentials themselves: none found, an unknown profile, an expired IAM Identity Center
 * (SSO) sign-in or session token, an MFA code missing or refused, keys AWS does not know, a secret that
 * does not match, a clock that is off. Undefined when the failure is not about credentials.
 */
export function describeCredentialFailure(code: string | undefined, serviceMessage: string, ctx: FailureContext): Description | undefined {
  const could = `Could not ${activity(ctx)}`;
  const who = profileText(ctx);
  const mfaRefused = /MultiFactorAuthentication failed|invalid MFA/i.test(serviceMessage);
  if (mfaRefused) {
    return { message: `${could}: AWS did not accept the MFA code for ${who}. Try again with the next code from the device.`, severity: 'error', actions: ['retry'] };
  }
  if (code !== undefined && providerErrors.has(code)) return describeProviderError(serviceMessage, ctx, could);
  if (code !== undefined && expiredTokens.has(code)) {
    return {
      message: `${could}: the session credentials of ${who} have expired. Sign in again, or put fresh credentials in place.`,
      severity: 'error',
      actions: ['signIn', 'switchProfile'],
    };
  }
  if (code !== undefined && maybeRegionNotEnabled.has(code) && ctx.region) {
    const region = ctx.region;
    return {
      message:
        `${could}: AWS did not accept the credentials of ${who} in ${region}. The region ${region} may not be enabled for the account: ` +
        `an opt-in region refuses every request until it is enabled (AWS console → Account → AWS Regions, or aws account enable-region --region-name ${region}). ` +
        `Otherwise the access key of ${who} is mistyped, deactivated or deleted, or a session token is missing or stale: update the credentials, or use another profile.`,
      severity: 'error',
      actions: ['openAwsConfig', 'switchProfile', 'learnMore'],
      learnMoreUrl: enableRegionDocs,
    };
  }
  if (code !== undefined && unknownKeys.has(code)) {
    return {
      message: `${could}: AWS does not recognize the access key of ${who}: it is mistyped, deactivated or deleted, or a session token is missing or stale. Update the credentials, or use another profile.`,
      severity: 'error',
      actions: ['openAwsConfig', 'switchProfile'],
    };
  }
  if (code !== undefined && badSignatures.has(code)) {
    if (clockWords.test(serviceMessage) || code === 'RequestTimeTooSkewed' || code === 'RequestExpired') {
      return {
        message: `${could}: AWS refused the request because this computer's clock is off by more than 5 minutes. Set the system clock to the right time (turn on automatic time), then try again.`,
        severity: 'error',
        actions: ['retry', 'learnMore'],
        learnMoreUrl: clockDocs,
      };
    }
    return {
      message: `${could}: AWS refused the request signature of ${who}: its secret access key does not match the access key id. Update the credentials, or use another profile.`,
      severity: 'error',
      actions: ['openAwsConfig', 'switchProfile'],
    };
  }
  return undefined;
}

function describeProviderError(message: string, ctx: FailureContext, could: string): Description {
  const who = profileText(ctx);
  // A credential_process that failed (Node's exec: "Command failed: <command>" and its stderr). Its words are its
  // own, not the SDK's: they are quoted (redacted, as every message is), not read for SSO or MFA hints.
  const processFailure = /^Command failed: ([\s\S]*)$/.exec(message);
  if (processFailure) {
    return {
      message: `${could}: the credential_process of ${who} failed: ${processFailure[1]}. Run that command in a shell to see why, or use another profile.`,
      severity: 'error',
      actions: ['openAwsConfig', 'switchProfile'],
    };
  }
  const unknownProfile = /Could not resolve credentials using profile:? \[?([^\]\s]+)\]?|[Pp]rofile (\S+) (?:could not be found|not found)/.exec(message);
  if (unknownProfile) {
    const name = unknownProfile[1] ?? unknownProfile[2] ?? ctx.profile ?? '';
    return {
      message: `${could}: there is no AWS profile "${name}" with credentials in ~/.aws/config or ~/.aws/credentials. Check its name, or use another profile.`,
      severity: 'error',
      actions: ['switchProfile', 'openAwsConfig'],
    };
  }
  if (/multi-factor|MFA/i.test(message)) {
    return {
      message: `${could}: ${who} needs an MFA code, and none was entered. Try again and enter the code from the MFA device.`,
      severity: 'error',
      actions: ['retry'],
    };
  }
  if (/\bSSO\b|sso_|IAM Identity Center|aws sso login/i.test(message) || /token/i.test(message)) {
    return {
      message: `${could}: the AWS sign-in session of ${who} has expired (IAM Identity Center). Sign in again to continue.`,
      severity: 'error',
      actions: ['signIn'],
    };
  }
  if (/from any providers|Unable to find (valid )?credentials|no credentials|not found/i.test(message)) {
    return {
      message: `${could}: no AWS credentials were found for ${who}. Add a profile to ~/.aws/config and ~/.aws/credentials, or set AWS_PROFILE or AWS_ACCESS_KEY_ID.`,
      severity: 'error',
      actions: ['openAwsConfig', 'learnMore'],
      learnMoreUrl: credentialsDocs,
    };
  }
  return {
    message: `${could}: the credentials of ${who} could not be loaded: ${message}`,
    severity: 'error',
    actions: ['openAwsConfig', 'switchProfile'],
  };
}
