// Injected failures of Instance Connect Endpoint tunnels: a refused handshake, a close right after the
// upgrade, a connection cut after some seconds. Each aims at one endpoint (or `*`), optionally `times` tunnels.
import type { Fault } from './index';

export type TunnelFault = Extract<Fault, { endpoint: string }>;

const ANY = '*';

/** Close codes a server may send (RFC 6455 7.4: not 1004–1006 or 1015, which never go on the wire). */
function validCloseCode(code: unknown): boolean {
  return typeof code === 'number' && Number.isInteger(code)
    && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}

/** The fault, or why it cannot be injected. */
export function parseTunnelFault(input: Record<string, unknown>): TunnelFault | string {
  const { endpoint, times } = input;
  if (typeof endpoint !== 'string' || !(endpoint === ANY || /^eice-[0-9a-f]{17}$/.test(endpoint))) return 'endpoint must be an Instance Connect Endpoint id or *';
  if (times !== undefined && !(Number.isInteger(times) && (times as number) > 0)) return 'times must be a positive integer';
  const common = { endpoint, ...(times !== undefined ? { times: times as number } : {}) };
  if ('handshakeStatus' in input) {
    const { handshakeStatus: status, errorCode, message } = input;
    if (!(Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599)) return 'handshakeStatus must be an HTTP status 400..599';
    if (typeof errorCode !== 'string' || typeof message !== 'string') return 'a handshake fault needs errorCode and message strings';
    return { ...common, handshakeStatus: status as number, errorCode, message };
  }
  if ('closeCode' in input) {
    if (!validCloseCode(input.closeCode)) return 'closeCode must be a WebSocket close code a server may send (1000-1003, 1007-1014, 3000-4999)';
    if (typeof input.closeReason !== 'string' || Buffer.byteLength(input.closeReason) > 123) return 'closeReason must be a string of at most 123 bytes';
    return { ...common, closeCode: input.closeCode as number, closeReason: input.closeReason };
  }
  if ('cutAfterSeconds' in input) {
    if (typeof input.cutAfterSeconds !== 'number' || !(input.cutAfterSeconds >= 0)) return 'cutAfterSeconds must be a number ≥ 0';
    return { ...common, cutAfterSeconds: input.cutAfterSeconds };
  }
  return 'a tunnel fault needs handshakeStatus+errorCode+message, closeCode+closeReason or cutAfterSeconds';
}

type Kind = 'handshakeStatus' | 'closeCode' | 'cutAfterSeconds';

export class TunnelFaults {
  private faults: TunnelFault[] = [];

  add(fault: TunnelFault): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first fault of this kind for a tunnel to this endpoint; counts it against its `times`. */
  take<K extends Kind>(endpointId: string, kind: K): Extract<TunnelFault, Record<K, unknown>> | undefined {
    const index = this.faults.findIndex((fault) => kind in fault && (fault.endpoint === ANY || fault.endpoint === endpointId));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.times !== undefined && --fault.times === 0) this.faults.splice(index, 1);
    return fault as Extract<TunnelFault, Record<K, unknown>>;
  }
}
