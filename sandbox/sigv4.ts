// Checks AWS Signature Version 4 on incoming requests by signing them again with the sandbox's credentials,
// the way AWS itself does: same canonical request, same signed headers, compare the signatures.
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 (or HMAC-SHA256 with a secret) in the shape SignatureV4 wants, from node:crypto. */
class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.create();
  }

  private create(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string'
      ? this.secret
      : ArrayBuffer.isView(this.secret)
        ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
        : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }

  reset(): void {
    this.hash = this.create();
  }
}

export interface SignedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SignatureProblem = 'missing' | 'malformed' | 'unknownKey' | 'mismatch' | 'expired';

export type SignatureCheck =
  | { ok: true; region: string; service: string }
  | { ok: false; problem: SignatureProblem; message: string; region?: string; service?: string };

/** AWS refuses a signature whose time is more than 5 minutes from its own clock (ahead of it, for a presigned URL). */
const MAX_SKEW_MS = 5 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export async function verifySignature(
  request: SignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  now: Date = new Date(),
): Promise<SignatureCheck> {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) return { ok: false, problem: 'missing', message: 'Missing Authentication Token' };
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    return { ok: false, problem: 'malformed', message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.` };
  }
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match;
  const context = { region, service };
  if (accessKeyId !== credentials.accessKeyId) {
    return { ok: false, problem: 'unknownKey', message: 'The security token included in the request is invalid.', ...context };
  }
  const dateHeader = headerValue(request.headers, 'x-amz-date') ?? '';
  const signingDate = parseAmzDate(dateHeader);
  if (!signingDate || !dateHeader.startsWith(scopeDate)) {
    return { ok: false, problem: 'malformed', message: 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.', ...context };
  }
  const skew = signingDate.getTime() - now.getTime();
  if (skew < -MAX_SKEW_MS) {
    const limit = amzDate(new Date(now.getTime() - MAX_SKEW_MS));
    return { ok: false, problem: 'expired', message: `Signature expired: ${dateHeader} is now earlier than ${limit} (${amzDate(now)} - 5 min.)`, ...context };
  }
  if (skew > MAX_SKEW_MS) {
    const limit = amzDate(new Date(now.getTime() + MAX_SKEW_MS));
    return { ok: false, problem: 'expired', message: `Signature not yet current: ${dateHeader} is still later than ${limit} (${amzDate(now)} + 5 min.)`, ...context };
  }

  const signedHeaders = signedHeaderList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.query.keys())) {
    const values = request.query.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const signer = new SignatureV4({ credentials, region, service, sha256: NodeSha256, applyChecksum: false });
  const resigned = await signer.sign(
    new HttpRequest({ method: request.method, protocol: 'http:', hostname: 'sandbox', path: request.path, query, headers, body: request.body }),
    { signingDate, signingRegion: region, signingService: service, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1] ?? '';
  const expectedList = /SignedHeaders=([^,]+),/.exec(String(resigned.headers.authorization))?.[1];
  return compared({ signature: expected, signedHeaders: expectedList }, { signature, signedHeaders: signedHeaderList }, region, service, context);
}

/** The signature AWS would compute against the one sent (in constant time), with AWS's words when they differ. */
function compared(
  expected: { signature: string; signedHeaders?: string },
  sent: { signature: string; signedHeaders: string },
  region: string,
  service: string,
  context: object,
): SignatureCheck {
  const same = expected.signature.length === sent.signature.length
    && timingSafeEqual(Buffer.from(expected.signature), Buffer.from(sent.signature))
    && expected.signedHeaders === sent.signedHeaders;
  if (!same) {
    return {
      ok: false,
      problem: 'mismatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      ...context,
    };
  }
  return { ok: true, region, service };
}

export interface PresignedRequest {
  method: string;
  /** The Host header as the client sent it: what it signed. */
  host: string;
  path: string;
  query: URLSearchParams;
}

const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
/** The longest X-Amz-Expires SigV4 allows: 7 days. */
const MAX_EXPIRES_S = 604_800;
const AUTH_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];

/**
 * Checks a presigned URL (query-string SigV4, as for the Instance Connect Endpoint's WebSocket) by presigning
 * the same request again: same query, the signed headers, the payload hash of an empty body.
 */
export async function verifyPresigned(
  request: PresignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  now: Date = new Date(),
): Promise<SignatureCheck> {
  const { query } = request;
  if (AUTH_PARAMS.some((name) => !query.has(name))) return { ok: false, problem: 'missing', message: 'Missing Authentication Token' };
  const credential = CREDENTIAL.exec(query.get('X-Amz-Credential')!);
  const dateParam = query.get('X-Amz-Date')!;
  const signingDate = parseAmzDate(dateParam);
  const expires = Number(query.get('X-Amz-Expires'));
  const signature = query.get('X-Amz-Signature')!;
  const signedHeaderList = query.get('X-Amz-SignedHeaders')!;
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !credential || !signingDate || !/^[0-9a-f]{64}$/.test(signature)
    || !Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S || !signedHeaderList.split(';').includes('host')) {
    return { ok: false, problem: 'malformed', message: 'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders and X-Amz-Date, with X-Amz-Expires between 1 and 604800 seconds and host signed.' };
  }
  const [, accessKeyId, scopeDate, region, service] = credential;
  const context = { region, service };
  if (accessKeyId !== credentials.accessKeyId) {
    return { ok: false, problem: 'unknownKey', message: 'The security token included in the request is invalid.', ...context };
  }
  if (!dateParam.startsWith(scopeDate)) {
    return { ok: false, problem: 'malformed', message: 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.', ...context };
  }
  if (signingDate.getTime() - now.getTime() > MAX_SKEW_MS) {
    const limit = amzDate(new Date(now.getTime() + MAX_SKEW_MS));
    return { ok: false, problem: 'expired', message: `Signature not yet current: ${dateParam} is still later than ${limit} (${amzDate(now)} + 5 min.)`, ...context };
  }
  if (signingDate.getTime() + expires * 1000 < now.getTime()) {
    return { ok: false, problem: 'expired', message: `Request has expired: signed at ${dateParam}, valid for ${expires} s, now ${amzDate(now)}.`, ...context };
  }

  const signedHeaders = signedHeaderList.split(';');
  const rest: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    if (AUTH_PARAMS.includes(key)) continue;
    const values = query.getAll(key);
    rest[key] = values.length === 1 ? values[0] : values;
  }
  const signer = new SignatureV4({ credentials, region, service, sha256: NodeSha256, applyChecksum: false });
  const resigned = await signer.presign(
    new HttpRequest({ method: request.method, protocol: 'https:', hostname: request.host, path: request.path, query: rest, headers: { host: request.host } }),
    { signingDate, signingRegion: region, signingService: service, expiresIn: expires, signableHeaders: new Set(signedHeaders) },
  );
  const expected = { signature: String(resigned.query?.['X-Amz-Signature'] ?? ''), signedHeaders: resigned.query?.['X-Amz-SignedHeaders'] as string | undefined };
  return compared(expected, { signature, signedHeaders: signedHeaderList }, region, service, context);
}
