import { activity } from './activity';
import type { ErrorShape } from './errorShape';
import type { Description } from './serviceFailures';
import type { FailureContext } from './types';

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL']);
const tlsCodes = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const settings = { actions: ['retry', 'openSettings'] as Description['actions'], settingsQuery: 'ec2InstanceConnect.endpoint' };

/**
 * Failures to reach AWS at all: a name that does not resolve, a connection refused, reset or without a
 * route, no answer in time, a TLS certificate this computer does not trust. Undefined for anything else.
 * (Failures to reach an instance over SSH are ProductErrors from the SSH layer, worded there.)
 */
export function describeNetworkFailure(shape: ErrorShape, ctx: FailureContext): Description | undefined {
  const code = shape.code ?? '';
  const could = `Could not ${activity(ctx)}`;
  if (dnsCodes.has(code)) {
    const host = /(?:ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME) (\S+)/.exec(shape.message ?? '')?.[1];
    return {
      message:
        `${could}: the name of the AWS endpoint${host ? ` ${host}` : ''} could not be looked up (${code}). ` +
        `This computer may be offline or its DNS failing; also check ${ctx.region ? `the region (${ctx.region})` : 'the region'} and any custom endpoint (setting ec2InstanceConnect.endpoint, AWS_ENDPOINT_URL).`,
      severity: 'error',
      ...settings,
    };
  }
  if (shape.name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
    return {
      message: `${could}: AWS did not answer in time. The network may be slow or down, or a firewall or proxy holds the connection. Try again.`,
      severity: 'error',
      ...settings,
    };
  }
  if (connectionCodes.has(code)) {
    return {
      message: `${could}: the connection to AWS failed (${code}). Check the network connection, a proxy or firewall, and any custom endpoint (setting ec2InstanceConnect.endpoint, AWS_ENDPOINT_URL).`,
      severity: 'error',
      ...settings,
    };
  }
  if (tlsCodes.has(code)) {
    return {
      message:
        `${could}: the TLS certificate of the AWS endpoint is not trusted here (${code}). A proxy that inspects HTTPS usually causes this: ` +
        "add the proxy's root certificate to this computer's trusted certificates, or ask your IT team.",
      severity: 'error',
      ...settings,
    };
  }
  return undefined;
}
