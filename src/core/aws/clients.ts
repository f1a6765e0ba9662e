import { EC2Client } from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

import { registerSecret } from '../base/log';
import type { AwsTarget } from './model';

/** How the core reaches AWS, beyond profile and region. */
export interface AwsOptions {
  /** Custom endpoint for both APIs; empty or undefined = AWS, or the SDK's AWS_ENDPOINT_URL* variables. */
  endpoint?: string;
  /** Asked for an MFA code when a profile has `mfa_serial`. */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** Attempts per call, throttling included (the SDK's standard retry mode with backoff). */
  maxAttempts?: number;
  /** Milliseconds to wait for a connection to AWS, and for an answer, before a call fails with a TimeoutError. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Without these the SDK waits forever on a network that drops packets. */
const defaultConnectionTimeoutMs = 10_000;
const defaultRequestTimeoutMs = 30_000;
/** Credentials this close to expiring are fetched again. */
const refreshMarginMs = 5 * 60_000;

/**
 * SDK clients per (profile, region, endpoint), created on first use and reused, so that credentials
 * are resolved once per profile and connections are kept alive.
 */
export class AwsClients {
  private readonly ec2 = new Map<string, EC2Client>();
  private readonly eic = new Map<string, EC2InstanceConnectClient>();
  private readonly credentials = new Map<string, AwsCredentialIdentityProvider>();

  constructor(private readonly options: AwsOptions = {}) {}

  ec2Client(target: AwsTarget): EC2Client {
    return this.cached(this.ec2, target, (config) => new EC2Client(config));
  }

  instanceConnectClient(target: AwsTarget): EC2InstanceConnectClient {
    return this.cached(this.eic, target, (config) => new EC2InstanceConnectClient(config));
  }

  /** The credential provider of a profile (memoized: SSO and MFA are asked for once). */
  credentialProvider(profile: string | undefined): AwsCredentialIdentityProvider {
    const key = profile ?? '';
    let provider = this.credentials.get(key);
    if (!provider) {
      const mfaCodeProvider = this.options.mfaCodeProvider;
      // ignoreCache: the files are read again at each resolution (rare: clients memoize credentials), so an
      // edited ~/.aws/credentials or a fresh SSO sign-in is seen after a Refresh instead of at the next restart.
      provider = shared(
        profile ? fromIni({ profile, mfaCodeProvider, ignoreCache: true }) : fromNodeProviderChain({ mfaCodeProvider, ignoreCache: true }),
      );
      this.credentials.set(key, provider);
    }
    return provider;
  }

  /** Forgets cached credentials (after a sign-in, a profile switch, or a settings change). */
  reset(): void {
    for (const client of [...this.ec2.values(), ...this.eic.values()]) client.destroy();
    this.ec2.clear();
    this.eic.clear();
    this.credentials.clear();
  }

  private cached<C>(
    cache: Map<string, C>,
    target: AwsTarget,
    create: (config: ClientConfig) => C,
  ): C {
    const key = `${target.profile ?? ''}\u0000${target.region}`;
    let client = cache.get(key);
    if (!client) {
      client = create({
        region: target.region,
        credentials: this.credentialProvider(target.profile),
        endpoint: this.options.endpoint || undefined,
        maxAttempts: this.options.maxAttempts ?? 3,
        retryMode: 'standard',
        requestHandler: {
          connectionTimeout: this.options.connectionTimeoutMs ?? defaultConnectionTimeoutMs,
          requestTimeout: this.options.requestTimeoutMs ?? defaultRequestTimeoutMs,
          throwOnRequestTimeout: true,
        },
      });
      cache.set(key, client);
    }
    return client;
  }
}

interface ClientConfig {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint?: string;
  maxAttempts: number;
  retryMode: string;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
}

/**
 * One resolution at a time per profile, kept until it is about to expire: each SDK client memoizes its
 * own credentials, so without this every region's client would ask for the MFA code (or read the SSO
 * token) separately. A failure is not kept: the next call tries again. Every credential the SDK uses passes here:
 * its secret access key and session token are registered with the redactor, so that no log line, message or
 * stack shows them, whatever form they are printed in.
 */
function shared(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return (options) => {
    if (current && (!current.expiration || current.expiration.getTime() - Date.now() > refreshMarginMs)) return Promise.resolve(current);
    pending ??= provider(options).then(
      (identity) => {
        registerSecret(identity.secretAccessKey);
        registerSecret(identity.sessionToken);
        current = identity;
        pending = undefined;
        return identity;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
}
