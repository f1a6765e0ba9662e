import { redact } from '../base/log';
import { oneLine } from '../base/sanitize';
import { isProductError, ProductError } from '../errors/productError';
import type { TunnelTarget } from './presign';

/** What the failure messages of one tunnel say about it. */
export interface TunnelParty {
  target: TunnelTarget;
  /** "db-internal (i-0abc…) in us-east-1". */
  who: string;
  /** "proxy.example.com:3128" when the tunnel goes through a proxy. */
  proxy?: string;
}

/** What a refused handshake answered: its HTTP status, AWS's error body, its request id. */
export interface HandshakeAnswer {
  status: number;
  body: string;
  requestId?: string;
}

/** A connection this many seconds before the end of its maximum duration is taken to have been cut for it. */
const expiryMarginSeconds = 2;
/** What an endpoint allows at once (EC2 user guide, quotas of EC2 Instance Connect Endpoint). */
export const connectionsPerEndpoint = 20;
/** How long an endpoint keeps a tunnel open when no shorter duration was asked for. */
export const defaultMaxTunnelSeconds = 3600;

const tlsCodes = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL']);

function endpointName(party: TunnelParty): string {
  return `EC2 Instance Connect Endpoint ${party.target.endpointId}`;
}

function baseFacts(party: TunnelParty) {
  const { target } = party;
  return { endpointId: target.endpointId, region: target.region, remotePort: target.remotePort, privateIp: target.privateIp, host: target.dnsName };
}

/** AWS's words: redacted, plain, on one line. They are untrusted like any text from AWS. */
function awsText(text: string, max = 500): string {
  return oneLine(redact(text), max);
}

/** `{"ErrorCode","Message"}` as the endpoint answers a refused handshake; other shapes (and no JSON) give what they hold. */
export function parseHandshakeBody(body: string): { errorCode?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object') {
      const pick = (...keys: string[]) => keys.map((k) => parsed[k]).find((v): v is string => typeof v === 'string' && v !== '');
      return { errorCode: pick('ErrorCode', 'errorCode', 'Code', 'code', '__type'), message: pick('Message', 'message', 'ErrorMessage', 'errorMessage') };
    }
  } catch {
    // Not JSON: the text itself, when it is short enough to be a message.
  }
  const text = body.trim();
  return { message: text && text.length <= 500 && !text.startsWith('<') ? text : undefined };
}

/** The endpoint answered the WebSocket handshake with an HTTP status instead of 101. */
export function handshakeFailure(answer: HandshakeAnswer, party: TunnelParty): ProductError {
  const { target, who } = party;
  const { errorCode, message } = parseHandshakeBody(answer.body);
  const said = message ? ` AWS said: "${awsText(message)}"` : '';
  const facts = { ...baseFacts(party), status: answer.status, errorCode: errorCode && awsText(errorCode, 100), requestId: answer.requestId && awsText(answer.requestId, 100) };
  const endpoint = endpointName(party);
  if (party.proxy && !answer.requestId && answer.status !== 101) {
    // A proxy refusing CONNECT answers in the endpoint's place (https-proxy-agent passes its response on); AWS always sends a request id.
    const auth = answer.status === 407 ? ' It wants a user name and password: put them in the proxy URL (http://user:password@host:port).' : '';
    return new ProductError(
      'tunnelRefused',
      `The proxy ${party.proxy} refused to connect to ${target.dnsName} (${endpoint}) for ${who}: HTTP ${answer.status}.${auth} ` +
        'Check HTTPS_PROXY / HTTP_PROXY, or add the endpoint to NO_PROXY if it is reachable without the proxy.',
      { ...facts, proxy: party.proxy },
    );
  }
  if (answer.status === 403) {
    return new ProductError(
      'tunnelDenied',
      `${endpoint} refused to open a tunnel to ${who} (port ${target.remotePort} at ${target.privateIp}): ` +
        `IAM does not allow ec2-instance-connect:OpenTunnel on ${target.endpointId} for these credentials, or not for this port and address.${said} ` +
        'Ask an administrator to grant it, or use another profile.',
      facts,
    );
  }
  if (answer.status === 429 || aboutConnectionLimit(message ?? '') || /limit/i.test(errorCode ?? '')) {
    return tunnelLimit(party, facts);
  }
  if (answer.status === 400 && (errorCode === 'InvalidParameter' || !errorCode) && /port/i.test(message ?? '')) {
    return new ProductError('badInput', `${endpoint} does not open tunnels to port ${target.remotePort} (for ${who}).${said}`, facts);
  }
  const code = errorCode ? ` ${awsText(errorCode, 100)}` : '';
  const retry = answer.status >= 500 ? ' AWS had an error of its own: try again in a moment.' : '';
  return new ProductError('tunnelRefused', `${endpoint} refused to open a tunnel to ${who} (HTTP ${answer.status}${code}).${said}${retry}`, facts);
}

function aboutConnectionLimit(text: string): boolean {
  return /(?:connection|tunnel)s?[^.]*(?:limit|maximum|exceed)|too many (?:connections|tunnels)|(?:limit|maximum)[^.]*(?:connection|tunnel)/i.test(text);
}

function tunnelLimit(party: TunnelParty, facts: Record<string, string | number | undefined>): ProductError {
  return new ProductError(
    'tunnelLimit',
    `${endpointName(party)} refused a tunnel to ${party.who}: it already has as many connections as it allows ` +
      `(an endpoint allows ${connectionsPerEndpoint} concurrent connections, everyone's together). Close other terminals, file views or port forwards through it, then try again.`,
    facts,
  );
}

/**
 * The endpoint closed an open tunnel, or the connection under it ended: undefined for a normal end (1000, or
 * a close frame without a code), else why, in words. A close at or after the tunnel's maximum duration is an
 * expiry, whatever its code.
 */
export function closeFailure(close: { code: number; reason: string; elapsedSeconds: number }, party: TunnelParty): ProductError | undefined {
  const { target, who } = party;
  const limit = target.maxTunnelDurationSeconds ?? defaultMaxTunnelSeconds;
  const reason = awsText(close.reason);
  const facts = { ...baseFacts(party), code: close.code, reason };
  // A shorter limit than asked for (IAM's ec2-instance-connect:maxTunnelDuration) is known only from the reason.
  const atLimit = close.elapsedSeconds >= limit - expiryMarginSeconds;
  const saysDuration = !atLimit && close.code !== 1000 && /duration/i.test(reason);
  if (atLimit || saysDuration) {
    const seconds = atLimit ? limit : Math.round(close.elapsedSeconds);
    return new ProductError(
      'tunnelExpired',
      `${endpointName(party)} closed the tunnel to ${who} after its maximum duration of ${seconds} seconds` +
        `${target.maxTunnelDurationSeconds === undefined || saysDuration ? '' : ' (as asked for)'}. An endpoint cuts every connection at its maximum duration (at most 3600 seconds, IAM may set less): connect again to go on.`,
      { ...facts, seconds },
    );
  }
  if (close.code === 1000 || close.code === 1005) return undefined;
  if (aboutConnectionLimit(reason)) return tunnelLimit(party, facts);
  const said = reason ? `: "${reason}"` : '';
  const hint = /unable to connect|connection refused|timed? ?out/i.test(reason)
    ? ` The endpoint could not reach port ${target.remotePort} at ${target.privateIp}: the instance's security group must allow that port from the endpoint (its security group, or its subnet), and something on the instance must listen on it.`
    : close.code === 1006
      ? ' The connection to the endpoint dropped without a close (the network, a proxy or a firewall).'
      : '';
  return new ProductError('tunnelClosed', `${endpointName(party)} closed the tunnel to ${who} (code ${close.code})${said}.${hint}`, facts);
}

/** A failure to reach the endpoint at all (DNS, TCP, TLS, a timeout), as a ProductError naming its host. Others pass through. */
export function connectFailure(err: unknown, party: TunnelParty, timeoutSeconds: number): unknown {
  if (isProductError(err)) return err;
  const e = (err ?? {}) as { code?: string; message?: string };
  const code = e.code ?? '';
  const host = party.target.dnsName;
  const endpoint = endpointName(party);
  const via = party.proxy ? ` through the proxy ${party.proxy}` : '';
  const facts = { ...baseFacts(party), code: code || undefined, proxy: party.proxy };
  if (tlsCodes.has(code)) {
    return new ProductError(
      'tlsFailure',
      `The TLS certificate of ${host} (${endpoint}) is not trusted on this computer (${code}), so no tunnel to ${party.who} was opened. ` +
        "Behind a proxy that inspects HTTPS, point NODE_EXTRA_CA_CERTS at a PEM file with that proxy's root certificate (then restart the editor or ec2ic), or add it to this computer's trust store (the editor reads it); else ask your IT team.",
      facts,
    );
  }
  if (dnsCodes.has(code)) {
    return new ProductError(
      'unreachable',
      `Could not look up ${host}, the name of ${endpoint}${via} (${code}). This computer may be offline or its DNS failing; a network that allows only a proxy needs HTTPS_PROXY.`,
      facts,
    );
  }
  if (code === 'ETIMEDOUT' || /timed out/i.test(e.message ?? '')) {
    return new ProductError(
      'timeout',
      `${host} (${endpoint}) did not answer${via} within ${timeoutSeconds} second${timeoutSeconds === 1 ? '' : 's'}. The network may be slow or down, or a firewall or proxy holds the connection to port 443.`,
      facts,
    );
  }
  if (connectionCodes.has(code)) {
    const who = party.proxy ? `the proxy ${party.proxy}` : host;
    return new ProductError(
      'unreachable',
      `The connection to ${who}${party.proxy ? ` for ${host}` : ''} (${endpoint}) failed (${code}). Check the network, and any proxy or firewall in the way (HTTPS_PROXY, NO_PROXY).`,
      facts,
    );
  }
  if (e.message) {
    return new ProductError('tunnelRefused', `Could not open a tunnel to ${party.who} through ${endpoint} (${host}): ${awsText(e.message)}`, facts);
  }
  return err;
}
