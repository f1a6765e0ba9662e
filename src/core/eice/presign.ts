import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Where a tunnel goes: the endpoint that opens it, and the instance's address and port behind it. */
export interface TunnelTarget {
  /** The endpoint's DnsName (or FipsDnsName) as DescribeInstanceConnectEndpoints returned it: never built. */
  dnsName: string;
  endpointId: string;
  /** The endpoint's region: the URL is signed for it. */
  region: string;
  privateIp: string;
  remotePort: number;
  /** Seconds the endpoint keeps the tunnel open at most (1–3600; IAM may lower it). Unset: the endpoint's own limit. */
  maxTunnelDurationSeconds?: number;
}

/** Seconds a signed URL stays valid: what AWS CLI v2 signs for, enough for one handshake. */
const expiresInSeconds = 60;

/**
 * The tunnel's URL, presigned as AWS CLI v2 presigns it (eicesigner.py): a GET on /openTunnel with the
 * endpoint, port and address (and the duration) in the query, SigV4 query authentication for the service
 * `ec2-instance-connect` in the endpoint's region, valid 60 seconds, the `host` header alone signed, and the
 * SHA-256 of the empty payload. The URL holds the signature and any session token: never log it.
 */
export async function presignTunnelUrl(target: TunnelTarget, credentials: AwsCredentialIdentity, now: Date = new Date()): Promise<string> {
  // The query's order is AWS CLI v2's (the signature sorts it anyway).
  const query: Record<string, string> = {
    instanceConnectEndpointId: target.endpointId,
    remotePort: String(target.remotePort),
    privateIpAddress: target.privateIp,
  };
  if (target.maxTunnelDurationSeconds) query.maxTunnelDuration = String(target.maxTunnelDurationSeconds);
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'wss:',
    hostname: target.dnsName,
    path: '/openTunnel',
    query,
    headers: { host: target.dnsName },
  });
  const signer = new SignatureV4({ service: 'ec2-instance-connect', region: target.region, credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.presign(request, { expiresIn: expiresInSeconds, signingDate: now });
  const search = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value ?? '']).map((v) => `${encode(key)}=${encode(v)}`))
    .join('&');
  return `wss://${target.dnsName}/openTunnel?${search}`;
}

/** RFC 3986 encoding, as SigV4's canonical query string has it (encodeURIComponent leaves !'()* alone). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
