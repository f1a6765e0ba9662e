/** What the failure descriptions read from a thrown value: the SDK's, ssh2's, Node's and our own errors all fit. */
export interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  /** EC2 Query errors as some older paths report them. */
  Code?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

export function errorShape(err: unknown): ErrorShape {
  return (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
}

/**
 * The error's code: the SDK names modeled exceptions and EC2 error codes in `name`; Node's system errors
 * (ENOTFOUND, ECONNREFUSED…) have the plain name "Error" and the code in `code`.
 */
export function errorCode(err: unknown): string | undefined {
  const shape = errorShape(err);
  if (shape.name && shape.name !== 'Error') return shape.name;
  return shape.code ?? shape.Code;
}

export function requestIdOf(err: unknown): string | undefined {
  return errorShape(err).$metadata?.requestId;
}
