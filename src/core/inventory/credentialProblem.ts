import type { AwsProfile } from '../aws/profiles';

/**
 * What a failure says about a profile's credentials, as opposed to one region:
 * - `signIn`: an IAM Identity Center (SSO) session, or session credentials, expired: signing in fixes it;
 * - `credentials`: the keys are missing, unknown or wrong: editing the AWS config files fixes it;
 * - `maybeRegion`: AuthFailure, which EC2 also answers for an opt-in region the account has not enabled;
 * - undefined: nothing to do with credentials (a region, throttling, the network…).
 */
export type CredentialProblem = 'signIn' | 'credentials' | 'maybeRegion';

const expiredCodes = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'UnauthorizedException']);
const badKeyCodes = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId']);
const providerErrors = new Set(['CredentialsProviderError', 'TokenProviderError', 'ProviderError']);

export function credentialProblem(err: unknown, profile?: Pick<AwsProfile, 'source'>): CredentialProblem | undefined {
  const shape = (typeof err === 'object' && err !== null ? err : {}) as { name?: string; code?: string; message?: string };
  const code = shape.name && shape.name !== 'Error' ? shape.name : shape.code;
  const message = shape.message ?? '';
  if (code === undefined) return undefined;
  if (expiredCodes.has(code)) return 'signIn';
  if (providerErrors.has(code)) {
    const ssoExpired = /sso|token/i.test(message) && /expired|invalid|refresh|login/i.test(message);
    return ssoExpired || profile?.source === 'sso' ? 'signIn' : 'credentials';
  }
  if (badKeyCodes.has(code)) return 'credentials';
  if (code === 'SignatureDoesNotMatch' && !/expired|skew|time/i.test(message)) return 'credentials';
  if (code === 'AuthFailure') return 'maybeRegion';
  return undefined;
}
