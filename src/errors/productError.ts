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
  | 'remoteSshMissing'
  | 'configDeclined'
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

export function isProductError(err: unknown, kind?: ProductErrorKind): err is ProductError {
  return err instanceof ProductError && (kind === undefined || err.kind === kind);
}

/** The user cancelled a pick or a dialog: not a failure, nothing to show. */
export function cancelled(): ProductError {
  return new ProductError('cancelled', 'Cancelled.');
}
