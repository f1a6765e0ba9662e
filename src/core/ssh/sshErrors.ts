import { isProductError, ProductError } from '../errors/productError';

/** Where a connection goes, in the words failure messages use. */
export interface SshEndpoint {
  /** How messages name the other end: "web (i-0abc…) in us-east-1", "the serial console of …". */
  who: string;
  host: string;
  port: number;
  /** "public IPv4", "private IPv4", … when the address was chosen among several. */
  addressKind?: string;
  user: string;
}

interface Ssh2Error {
  message?: string;
  code?: string;
  level?: string;
}

function where(endpoint: SshEndpoint): string {
  const kind = endpoint.addressKind ? ` (${endpoint.addressKind})` : '';
  return `${endpoint.host} port ${endpoint.port}${kind}`;
}

/**
 * An ssh2 error from before the session was ready, as a ProductError that says which address and port
 * did not answer and why that usually happens. Authentication failures are left to the caller, which
 * knows whether the key was pushed again.
 */
export function connectFailure(err: unknown, endpoint: SshEndpoint, timeoutSeconds: number, tcpConnected: boolean): unknown {
  if (isProductError(err)) return err;
  const e = (err ?? {}) as Ssh2Error;
  const code = e.code ?? '';
  const facts = { host: endpoint.host, port: endpoint.port, code: code || e.level };
  if (e.level === 'client-timeout' && tcpConnected) {
    return new ProductError(
      'timeout',
      `${endpoint.who} accepted the connection at ${where(endpoint)}, but the SSH handshake did not finish within ${timeoutSeconds} seconds. ` +
        'The instance may be overloaded or still booting; a slow network can also do this (setting ec2InstanceConnect.connectTimeout).',
      facts,
    );
  }
  if (e.level === 'client-timeout' || code === 'ETIMEDOUT') {
    return new ProductError(
      'timeout',
      `${endpoint.who} did not answer at ${where(endpoint)} within ${timeoutSeconds} seconds. ` +
        `Usually its security group or network ACL does not allow SSH (TCP port ${endpoint.port}) from this computer's address, ` +
        'or there is no route to it (a subnet without an internet gateway, a private address without VPN).',
      facts,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new ProductError(
      'unreachable',
      `${endpoint.who} refused the connection at ${where(endpoint)}: nothing listens for SSH there. ` +
        'The instance may still be booting, sshd may not be running, or it listens on another port (setting ec2InstanceConnect.port).',
      facts,
    );
  }
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT'].includes(code)) {
    return new ProductError(
      'unreachable',
      `There is no route from this computer to ${endpoint.who} at ${where(endpoint)} (${code}). ` +
        'A private address needs a VPN or a connection from inside the VPC, and an IPv6 address needs IPv6 on this network; ' +
        'also check that its security group allows SSH from this computer.',
      facts,
    );
  }
  if (['ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
    return new ProductError(
      'unreachable',
      `Could not resolve ${endpoint.host} for ${endpoint.who} (${code}). Check the network and DNS.`,
      facts,
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /handshake|ended|closed/i.test(e.message ?? '')) {
    return new ProductError(
      'unreachable',
      `${endpoint.who} closed the connection at ${where(endpoint)} before the SSH session started (${e.message ?? code}). ` +
        'sshd may still be starting, or something between this computer and the instance stops SSH.',
      facts,
    );
  }
  return err;
}

export function isAuthFailure(err: unknown): boolean {
  return (err as Ssh2Error | undefined)?.level === 'client-authentication';
}

/** Why an established session ended without an exit status, in a few words. */
export function lostReason(err: unknown): string {
  const e = (err ?? {}) as Ssh2Error;
  if (e.level === 'client-timeout' || /keepalive/i.test(e.message ?? '')) return 'the instance stopped answering keepalives';
  if (e.code === 'ECONNRESET') return 'the connection was reset';
  if (e.code === 'ETIMEDOUT') return 'the network connection timed out';
  if (e.code === 'EPIPE') return 'the connection broke';
  if (e.message) return e.message;
  return 'the instance closed the connection';
}

export function connectionLost(endpoint: SshEndpoint, reason: string): ProductError {
  return new ProductError('connectionLost', `The connection to ${endpoint.who} at ${endpoint.host} port ${endpoint.port} was lost: ${reason}.`, {
    host: endpoint.host,
    port: endpoint.port,
    reason,
  });
}

/** The stages of an SSH connection that have a deadline of their own (the key push has its own, elsewhere). */
export type ConnectStage = 'tcp' | 'handshake' | 'authentication';

/** A stage that did not finish in time, in words that name it: the address, the handshake, or the authentication. */
export function stageTimeout(stage: ConnectStage, endpoint: SshEndpoint, seconds: number): unknown {
  if (stage === 'authentication') {
    return new ProductError(
      'timeout',
      `${endpoint.who} took more than ${seconds} seconds to accept the key for "${endpoint.user}" at ${where(endpoint)}, after the SSH handshake and the key push had finished. ` +
        'The instance may be overloaded, or slow to look the key up (the EC2 Instance Connect AuthorizedKeysCommand asks its metadata service).',
      { host: endpoint.host, port: endpoint.port, stage },
    );
  }
  const failure = connectFailure(Object.assign(new Error(`the ${stage} stage timed out`), { level: 'client-timeout' }), endpoint, seconds, stage === 'handshake');
  if (isProductError(failure)) Object.assign(failure.facts, { stage });
  return failure;
}
