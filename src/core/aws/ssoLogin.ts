import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { getSSOTokenFilepath } from '@smithy/core/config';

import { ProductError } from '../errors/productError';
import type { SsoSettings } from './profiles';

/**
 * Signing in to IAM Identity Center without the AWS CLI: the OAuth device flow of the SSO OIDC service
 * (RegisterClient, StartDeviceAuthorization, CreateToken), then the token written to the cache file the
 * SDK reads (~/.aws/sso/cache/<sha1 of the session name or start URL>.json), exactly as `aws sso login`
 * does, so every profile of that session works again, here and in the AWS tools.
 */

export interface DeviceAuthorization {
  userCode: string;
  verificationUri: string;
  /** The URL with the code filled in: opening it is all the user has to do. */
  verificationUriComplete?: string;
  expiresInSeconds: number;
}

export interface SsoLoginOptions {
  sso: SsoSettings;
  /** Told the code and URL once known; the flow keeps polling meanwhile. */
  onAuthorization(authorization: DeviceAuthorization): void;
  abortSignal?: AbortSignal;
  /** The SSO OIDC endpoint; default AWS_ENDPOINT_URL_SSO_OIDC, else https://oidc.<sso_region>.amazonaws.com. */
  endpoint?: string;
  /** For tests: the wait between polls. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface CachedToken {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

const clientName = 'ec2-instance-connect-vscode';
const defaultScopes = ['sso:account:access'];

/** One SSO OIDC call (restJson1, unsigned). Errors carry the service's error code as `name`. */
async function oidc<T>(endpoint: string, path: string, body: object, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`${endpoint.replace(/\/$/, '')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (response.ok) return parsed as T;
  const type = (response.headers.get('x-amzn-errortype') ?? String(parsed.__type ?? parsed.error ?? 'SsoOidcError')).split(':')[0].split('#').pop();
  const message = String(parsed.error_description ?? parsed.message ?? parsed.Message ?? `HTTP ${response.status}`);
  throw Object.assign(new Error(message), { name: type, oauthError: parsed.error });
}

function isError(err: unknown, ...names: string[]): boolean {
  const e = err as { name?: string; oauthError?: unknown };
  return names.some((name) => e.name === name || e.oauthError === name);
}

/** The cache key the SDK uses: the session name for `sso_session` profiles, the start URL for legacy ones. */
export function ssoCacheFile(sso: SsoSettings): string {
  const key = sso.session ?? sso.startUrl;
  if (!key) throw new ProductError('unknownProfile', 'This profile names neither an sso_session nor an sso_start_url, so there is nothing to sign in to.');
  return getSSOTokenFilepath(key);
}

async function reusableRegistration(file: string, now: number): Promise<{ clientId: string; clientSecret: string; registrationExpiresAt: string } | undefined> {
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as Partial<CachedToken>;
    const expires = cached.registrationExpiresAt ? Date.parse(cached.registrationExpiresAt) : 0;
    if (cached.clientId && cached.clientSecret && expires - now > 15 * 60_000) {
      return { clientId: cached.clientId, clientSecret: cached.clientSecret, registrationExpiresAt: cached.registrationExpiresAt as string };
    }
  } catch {
    // No cache file yet, or one this code cannot read: register afresh.
  }
  return undefined;
}

/** Runs the device flow and writes the SDK's token cache. Resolves with the cache file and when the sign-in expires. */
export async function ssoDeviceLogin(options: SsoLoginOptions): Promise<{ cacheFile: string; expiresAt: string }> {
  const { sso, abortSignal: signal } = options;
  if (!sso.startUrl || !sso.region) {
    throw new ProductError('unknownProfile', 'The profile (or its sso-session) lacks sso_start_url or sso_region, which signing in needs.');
  }
  const wait = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleep(ms, undefined, { signal }));
  const endpoint = options.endpoint || process.env.AWS_ENDPOINT_URL_SSO_OIDC || `https://oidc.${sso.region}.amazonaws.com`;
  const cacheFile = ssoCacheFile(sso);

  let registration = await reusableRegistration(cacheFile, Date.now());
  if (!registration) {
    const registered = await oidc<{ clientId: string; clientSecret: string; clientSecretExpiresAt: number }>(
      endpoint,
      '/client/register',
      { clientName, clientType: 'public', scopes: defaultScopes },
      signal,
    );
    registration = {
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      registrationExpiresAt: new Date(registered.clientSecretExpiresAt * 1000).toISOString(),
    };
  }
  const client = registration;

  const device = await oidc<{
    deviceCode: string;
    userCode: string;
    verificationUri: string;
    verificationUriComplete?: string;
    expiresIn: number;
    interval?: number;
  }>(endpoint, '/device_authorization', { clientId: client.clientId, clientSecret: client.clientSecret, startUrl: sso.startUrl }, signal);
  options.onAuthorization({
    userCode: device.userCode,
    verificationUri: device.verificationUri,
    verificationUriComplete: device.verificationUriComplete,
    expiresInSeconds: device.expiresIn,
  });

  let interval = (device.interval ?? 5) * 1000;
  const deadline = Date.now() + device.expiresIn * 1000;
  for (;;) {
    await wait(interval, signal);
    try {
      const token = await oidc<{ accessToken: string; expiresIn: number; refreshToken?: string }>(
        endpoint,
        '/token',
        {
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          grantType: 'urn:ietf:params:oauth:grant-type:device_code',
          deviceCode: device.deviceCode,
        },
        signal,
      );
      const expiresAt = new Date(Date.now() + token.expiresIn * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const cached: CachedToken = {
        startUrl: sso.startUrl,
        region: sso.region,
        accessToken: token.accessToken,
        expiresAt,
        ...client,
        ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
      };
      await writePrivately(cacheFile, JSON.stringify(cached, null, 2));
      return { cacheFile, expiresAt };
    } catch (err) {
      if (isError(err, 'AuthorizationPendingException', 'authorization_pending')) {
        if (Date.now() > deadline) throw new ProductError('timeout', 'The sign-in code expired before it was confirmed in the browser. Sign in again.');
        continue;
      }
      if (isError(err, 'SlowDownException', 'slow_down')) {
        interval += 5000;
        continue;
      }
      if (isError(err, 'ExpiredTokenException', 'expired_token')) {
        throw new ProductError('timeout', 'The sign-in code expired before it was confirmed in the browser. Sign in again.');
      }
      if (isError(err, 'AccessDeniedException', 'access_denied')) {
        throw new ProductError('configDeclined', 'The sign-in was denied in the browser, so the profile stays signed out.');
      }
      throw err;
    }
  }
}

/** Writes a file only its owner can read (it holds a bearer token), atomically, in a 0700 directory. */
async function writePrivately(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, path);
}
