// Injected failures: errors for matching calls (optionally only `times` of them), added latency, and
// whole regions that fail. Dropped SSH connections are an action, not a stored fault (see Fleet.dropSsh).
import { type ApiError, type CallContext, ec2Error, EIC_EXCEPTIONS, eicError, isEc2ErrorCode, notAuthorizedMessage } from './api-errors';
import { isEc2Operation, isEicOperation } from './operations';

export interface CallFault {
  operation: string;
  instanceId?: string;
  error: string;
  times?: number;
}

export interface Call extends CallContext {
  service: 'ec2' | 'ec2-instance-connect';
  /** Every instance the call names (InstanceId.N, or the EIC InstanceId). */
  instanceIds: string[];
}

/** `*` matches every operation. */
const ANY = '*';

/** Whether a service can answer with this error (a `*` fault only hits the calls it fits). */
function fitsService(error: string, service: Call['service']): boolean {
  return service === 'ec2' ? error === 'ThrottlingException' || isEc2ErrorCode(error) : Object.hasOwn(EIC_EXCEPTIONS, error);
}

/** Why a fault cannot be injected, or undefined when it is fine. */
export function callFaultProblem(fault: CallFault): string | undefined {
  const { operation, error, times, instanceId } = fault;
  if (typeof operation !== 'string' || !(operation === ANY || isEc2Operation(operation) || isEicOperation(operation))) {
    return `unknown operation ${JSON.stringify(operation)}`;
  }
  if (typeof error !== 'string') return 'error must be a string';
  const eicOk = fitsService(error, 'ec2-instance-connect');
  const ec2Ok = fitsService(error, 'ec2');
  if (isEicOperation(operation) && !eicOk) return `${error} is not an EC2 Instance Connect exception`;
  if (isEc2Operation(operation) && !ec2Ok) return `${error} is not an EC2 error code`;
  if (operation === ANY && !eicOk && !ec2Ok) return `${error} is neither an EC2 error code nor an EC2 Instance Connect exception`;
  if (times !== undefined && !(Number.isInteger(times) && times > 0)) return 'times must be a positive integer';
  if (instanceId !== undefined && typeof instanceId !== 'string') return 'instanceId must be a string';
  return undefined;
}

/** The error a fault produces for a call, worded like the real one. */
function errorFor(code: string, call: Call): ApiError {
  if (call.service === 'ec2-instance-connect') {
    if (code === 'AuthException') return eicError(code, notAuthorizedMessage('ec2-instance-connect', call));
    return eicError(code);
  }
  // EC2 throttles with its own code.
  if (code === 'ThrottlingException') return ec2Error('RequestLimitExceeded');
  const id = call.instanceIds[0] ?? 'i-0123456789abcdef0';
  if (code === 'UnauthorizedOperation') {
    return ec2Error(code, `You are not authorized to perform this operation. ${notAuthorizedMessage('ec2', call)}`);
  }
  if (code === 'InvalidInstanceID.NotFound') return ec2Error(code, `The instance ID '${id}' does not exist`);
  if (code === 'InvalidInstanceID.Malformed') return ec2Error(code, `Invalid id: "${id}"`);
  return ec2Error(code);
}

export function regionFaultProblem(region: unknown, error: unknown): string | undefined {
  if (typeof region !== 'string' || typeof error !== 'string') return 'a region fault needs region and error strings';
  return fitsService(error, 'ec2') ? undefined : `${error} is not an EC2 error code`;
}

export class FaultTable {
  private calls: CallFault[] = [];
  private regions = new Map<string, string>();
  latencyMs = 0;

  addCallFault(fault: CallFault): void {
    this.calls.push({ ...fault });
  }

  addRegionFault(region: string, error: string): void {
    this.regions.set(region, error);
  }

  clear(): void {
    this.calls = [];
    this.regions.clear();
    this.latencyMs = 0;
  }

  /** The injected error for this call, if any; counts it against the fault's `times`. */
  take(call: Call): ApiError | undefined {
    const regionError = call.service === 'ec2' ? this.regions.get(call.region) : undefined;
    if (regionError) return errorFor(regionError, call);
    const index = this.calls.findIndex((fault) =>
      (fault.operation === ANY || fault.operation === call.operation)
      && (fault.instanceId === undefined || call.instanceIds.includes(fault.instanceId))
      && fitsService(fault.error, call.service));
    if (index < 0) return undefined;
    const fault = this.calls[index];
    if (fault.times !== undefined && --fault.times === 0) this.calls.splice(index, 1);
    return errorFor(fault.error, call);
  }
}
