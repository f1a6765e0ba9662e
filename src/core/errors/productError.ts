/**
 * Failures the product itself detects (not thrown by the SDK or ssh2), each with a kind that the
 * failure descriptions recognize. The message is already plain words for the user.
 */
export type ProductErrorKind =
  | 'badInput' // an invalid instance id, port, user name…
  | 'noRegion' // a profile without a region
  | 'unknownProfile'
  | 'instanceNotFound'
  | 'instanceNotRunning'
  | 'windowsUnsupported'
  | 'noAddress' // no address the product may connect to
  | 'authRefused' // the instance refused the pushed key
  | 'unreachable' // TCP connect failed: refused, no route
  | 'timeout' // no answer in time
  | 'connectionLost'
  | 'hostKeyChanged'
  | 'hostKeyMismatch' // a pinned (serial console) host key did not match
  | 'serialConsoleAccessDisabled' // GetSerialConsoleAccessStatus said so before the key push
  | 'remoteSshMissing'
  | 'configDeclined'
  | 'fileNotWritable' // a config or key file that may not or cannot be replaced (read-only, another owner, its folder)
  | 'noEndpoint' // no usable EC2 Instance Connect Endpoint in the instance's VPC
  | 'tunnelDenied' // the endpoint refused OpenTunnel (HTTP 403)
  | 'tunnelRefused' // the endpoint refused the tunnel for another reason
  | 'tunnelClosed' // the endpoint closed an open tunnel with a failure code
  | 'tunnelExpired' // the endpoint closed the tunnel at its maximum duration
  | 'tunnelLimit' // the endpoint has as many connections as it allows
  | 'tlsFailure' // a certificate on the way to AWS is not trusted here
  | 'portInUse' // a local port a forward would listen on is taken
  | 'forwardingDisabled' // the instance's sshd does not allow TCP forwarding (AllowTcpForwarding no)
  | 'forwardRefused' // the instance could not connect to a forward's remote side
  | 'cancelled';

export class ProductError extends Error {
  override readonly name = 'ProductError';

  constructor(
    readonly kind: ProductErrorKind,
    message: string,
    /** Extra facts for the failure description (fingerprints, the refused user…). Never secrets. */
    readonly facts: Record<string, string | number | undefined> = {},
  ) {
    super(message);
  }
}

/**
 * Recognized by shape, not instanceof: the editor and CLI bundles each hold their own copy of this class,
 * and errors thrown in the core bundle (dist/core.js) are instances of the core's copy.
 */
export function isProductError(err: unknown, kind?: ProductErrorKind): err is ProductError {
  const candidate = err as Partial<ProductError> | undefined;
  return (
    err instanceof Error &&
    candidate?.name === 'ProductError' &&
    typeof candidate.kind === 'string' &&
    typeof candidate.facts === 'object' &&
    (kind === undefined || candidate.kind === kind)
  );
}

/** The user cancelled a pick or a dialog: not a failure, nothing to show. */
export function cancelled(): ProductError {
  return new ProductError('cancelled', 'Cancelled.');
}
