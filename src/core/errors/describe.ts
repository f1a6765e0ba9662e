import { redact } from '../base/log';
import { oneLine } from '../base/sanitize';
import { activity } from './activity';
import { describeCredentialFailure } from './credentialFailures';
import { errorCode, errorShape, requestIdOf } from './errorShape';
import { describeNetworkFailure } from './networkFailures';
import { openTunnelPolicy } from './policy';
import { isProductError, type ProductError } from './productError';
import { describeServiceFailure, type Description, isSerial, serialConsoleDisabled, serialConsolePrerequisitesDocs } from './serviceFailures';
import type { FailureAction, FailureContext, FailureReport } from './types';

export { describeTarget } from './activity';

export const createEndpointDocs = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-ec2-instance-connect-endpoints.html';
export const extraCaCertsDocs = 'https://nodejs.org/api/cli.html#node_extra_ca_certsfile';
const serialEndpointsDocs = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/connect-to-serial-console.html#sc-endpoints-and-fingerprints';

/**
 * Turns any failure of any command into what the user reads: what happened, why, and what to do, naming
 * the instance and region, with the actions that fix it. The editor shows it as a notification, the CLI
 * prints its message. The service's own text is redacted before it is quoted; nothing here holds secrets.
 */
export function describeFailure(err: unknown, ctx: FailureContext): FailureReport {
  const requestId = requestIdOf(err);
  if (isProductError(err)) {
    // A refused tunnel handshake carries AWS's request id among its facts (there is no SDK $metadata).
    const factId = typeof err.facts.requestId === 'string' ? err.facts.requestId : undefined;
    return { ...describeProductError(err, ctx), code: err.kind, requestId: requestId ?? factId };
  }

  const shape = errorShape(err);
  const code = errorCode(err);
  // AWS's own words are untrusted text too: redacted, and plain text on one line.
  const serviceMessage = oneLine(redact(shape.message ?? String(err)), 1000);
  if (shape.name === 'AbortError') return { message: 'Cancelled.', severity: 'warning', actions: [], code: 'cancelled' };

  const description =
    // Credentials first: STS refuses a wrong MFA code with AccessDenied, which otherwise reads as a missing permission.
    describeCredentialFailure(code, serviceMessage, ctx) ??
    describeServiceFailure(code, serviceMessage, ctx) ??
    describeNetworkFailure(shape, ctx) ??
    ({ message: `Could not ${activity(ctx)}: ${serviceMessage}`, severity: 'error', actions: ['retry'] } satisfies Description);
  return { ...description, code, requestId };
}

/** ProductErrors carry their own words; this adds the actions (and, for a few, the wording shared with AWS's exceptions). */
function describeProductError(err: ProductError, ctx: FailureContext): Description {
  const state = typeof err.facts.state === 'string' ? err.facts.state : ctx.instanceState;
  const plain = (actions: FailureAction[], severity: Description['severity'] = 'error', extra: Partial<Description> = {}): Description => ({
    message: err.message,
    severity,
    actions,
    ...extra,
  });
  switch (err.kind) {
    case 'serialConsoleAccessDisabled':
      // An organization's declarative policy cannot be overridden from the account: nothing to enable.
      if (err.facts.managedBy === 'declarative-policy') return plain(['learnMore'], 'warning', { learnMoreUrl: serialConsolePrerequisitesDocs });
      return serialConsoleDisabled(ctx);
    case 'instanceNotFound':
      return plain(['refresh']);
    case 'instanceNotRunning':
      return plain(state === 'stopped' ? ['startInstance'] : ['refresh'], 'warning');
    case 'authRefused':
      return plain(isSerial(ctx) ? ['retryIn30s'] : ['chooseAnotherUser', 'retry']);
    case 'unreachable':
    case 'timeout':
    case 'connectionLost':
      return plain(['retry']);
    case 'hostKeyMismatch':
      return plain(['learnMore'], 'error', { learnMoreUrl: serialEndpointsDocs });
    case 'noAddress':
      return plain(['openSettings'], 'error', { settingsQuery: 'ec2InstanceConnect.connectionType' });
    case 'noRegion':
      return plain(['openSettings'], 'error', { settingsQuery: 'ec2InstanceConnect.regions' });
    case 'unknownProfile':
      return plain(['switchProfile']);
    case 'noEndpoint':
      return plain(['createEndpoint', 'learnMore'], 'error', { learnMoreUrl: createEndpointDocs });
    case 'tunnelDenied':
      return plain(['showRequiredPolicy', 'switchProfile'], 'error', { requiredPolicy: openTunnelPolicy(tunnelScope(err, ctx)) });
    case 'tunnelExpired':
    case 'tunnelLimit':
      return plain(['retry'], 'warning');
    case 'tunnelClosed':
    case 'tunnelRefused':
      return plain(['retry']);
    case 'portInUse':
      return plain(['chooseAnotherPort']);
    case 'forwardingDisabled':
      return plain(['learnMore'], 'error', { learnMoreUrl: 'https://man.openbsd.org/sshd_config#AllowTcpForwarding' });
    case 'forwardRefused':
      return plain(['retry'], 'warning');
    case 'tlsFailure':
      return plain(['learnMore'], 'error', { learnMoreUrl: extraCaCertsDocs });
    case 'windowsUnsupported':
      return plain(['openRdpTunnel'], 'warning');
    case 'cancelled':
    case 'configDeclined':
    case 'remoteSshMissing':
      return plain([], 'warning');
    default:
      return plain([]);
  }
}

/** The endpoint, port and address a refused tunnel was for: the facts of the ProductError, else the context. */
function tunnelScope(err: ProductError, ctx: FailureContext) {
  const text = (key: string) => (typeof err.facts[key] === 'string' && err.facts[key] ? (err.facts[key] as string) : undefined);
  const port = err.facts.remotePort;
  return {
    region: text('region') ?? ctx.region,
    account: text('account'),
    endpointId: text('endpointId'),
    remotePort: typeof port === 'number' ? port : typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : ctx.port,
    privateIp: text('privateIp'),
  };
}
