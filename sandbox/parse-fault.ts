// What a test sends to inject a fault (POST /_sandbox/faults or injectFault), checked and made into a Fault.
import { ControlError } from './endpoint';
import { type CallFault, callFaultProblem, regionFaultProblem } from './faults';
import type { Fault } from './index';
import { parseTunnelFault } from './tunnel-faults';

/** Builds a stored fault from what a test sent, or says what is wrong with it. */
export function parseFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null) throw new ControlError('a fault must be a JSON object');
  const fault = input as Record<string, unknown>;
  if ('latencyMs' in fault) {
    if (typeof fault.latencyMs !== 'number' || !(fault.latencyMs >= 0)) throw new ControlError('latencyMs must be a number ≥ 0');
    return { latencyMs: fault.latencyMs };
  }
  if ('dropSsh' in fault) {
    if (typeof fault.dropSsh !== 'string') throw new ControlError('dropSsh must be an instance id');
    return { dropSsh: fault.dropSsh };
  }
  if ('allowTcpForwarding' in fault) {
    if (fault.allowTcpForwarding !== false) throw new ControlError('allowTcpForwarding must be false (clearing the faults turns it back on)');
    if (typeof fault.instanceId !== 'string') throw new ControlError('allowTcpForwarding needs the instanceId of an instance with an sshd');
    return { instanceId: fault.instanceId, allowTcpForwarding: false };
  }
  if ('operation' in fault) {
    const { operation, instanceId, error, times } = fault as unknown as CallFault;
    const call: CallFault = { operation, error, ...(instanceId !== undefined ? { instanceId } : {}), ...(times !== undefined ? { times } : {}) };
    const problem = callFaultProblem(call);
    if (problem) throw new ControlError(problem);
    return call;
  }
  if ('endpoint' in fault) {
    const parsed = parseTunnelFault(fault);
    if (typeof parsed === 'string') throw new ControlError(parsed);
    return parsed;
  }
  if ('region' in fault) {
    const problem = regionFaultProblem(fault.region, fault.error);
    if (problem) throw new ControlError(problem);
    return { region: fault.region as string, error: fault.error as string };
  }
  throw new ControlError('a fault needs operation+error, latencyMs, dropSsh, instanceId+allowTcpForwarding, region+error or endpoint');
}
