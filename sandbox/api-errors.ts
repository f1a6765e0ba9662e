// The errors the two services answer with: their codes, HTTP statuses and the messages AWS words them with.
import { ACCOUNT_ID } from './account';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** What a call was about, for messages that name it as AWS's do. */
export interface CallContext {
  operation: string;
  region: string;
  instanceId?: string;
}

/** The EC2 Instance Connect model's exceptions and their modeled HTTP statuses. */
export const EIC_EXCEPTIONS: Record<string, { status: number; message: string }> = {
  AuthException: { status: 403, message: 'Not authorized.' },
  EC2InstanceNotFoundException: { status: 404, message: 'Instance not found' },
  EC2InstanceStateInvalidException: { status: 400, message: 'Instance is not in a valid state for this operation.' },
  EC2InstanceTypeInvalidException: { status: 400, message: 'The instance type is not supported for connecting to the serial console. Only Nitro instance types are supported.' },
  EC2InstanceUnavailableException: { status: 503, message: 'The instance is currently unavailable. Wait a few minutes and try again.' },
  InvalidArgsException: { status: 400, message: 'Invalid arguments.' },
  SerialConsoleAccessDisabledException: { status: 403, message: 'Your requested instance is not in a valid state for serial console access. Serial console access is disabled for your account. Use ec2:EnableSerialConsoleAccess to enable it.' },
  SerialConsoleSessionLimitExceededException: { status: 400, message: 'The instance currently has 1 active serial console session. Only 1 session is supported at a time.' },
  SerialConsoleSessionUnavailableException: { status: 500, message: 'Unable to start a serial console session. Please try again.' },
  SerialConsoleSessionUnsupportedException: { status: 400, message: 'The instance does not support serial console sessions. Reboot the instance to update its BIOS, then try again.' },
  ServiceException: { status: 500, message: 'The service encountered an internal error. Please try again.' },
  ThrottlingException: { status: 429, message: 'Rate exceeded' },
};

export function eicError(code: string, message?: string): ApiError {
  const known = EIC_EXCEPTIONS[code];
  return new ApiError(code, message ?? known?.message ?? code, known?.status ?? 400);
}

/** An IAM denial worded like AWS's, naming the action and resource. */
export function notAuthorizedMessage(service: 'ec2' | 'ec2-instance-connect', context: CallContext): string {
  const resource = `arn:aws:ec2:${context.region}:${ACCOUNT_ID}:instance/${context.instanceId ?? '*'}`;
  const action = `${service}:${context.operation}`;
  return `User: arn:aws:iam::${ACCOUNT_ID}:user/sandbox is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

const EC2_STATUS: Record<string, number> = {
  AuthFailure: 401,
  MissingAuthenticationToken: 401,
  UnauthorizedOperation: 403,
  OptInRequired: 403,
  Blocked: 403,
  SignatureDoesNotMatch: 403,
  DryRunOperation: 412,
  InternalError: 500,
  RequestLimitExceeded: 503,
  ServiceUnavailable: 503,
  Unavailable: 503,
};

const EC2_MESSAGES: Record<string, string> = {
  AuthFailure: 'AWS was not able to validate the provided access credentials',
  UnauthorizedOperation: 'You are not authorized to perform this operation.',
  RequestLimitExceeded: 'Request limit exceeded.',
  InternalError: 'An internal error has occurred',
  Unavailable: 'The server is overloaded and can\'t handle the request.',
  OptInRequired: 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.',
};

/** EC2 error codes look like `AuthFailure` or `InvalidInstanceID.NotFound`. */
export function isEc2ErrorCode(code: string): boolean {
  return /^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(code) && !code.endsWith('Exception');
}

export function ec2Error(code: string, message?: string): ApiError {
  return new ApiError(code, message ?? EC2_MESSAGES[code] ?? `${code}: the sandbox was asked to fail this call.`, EC2_STATUS[code] ?? 400);
}
