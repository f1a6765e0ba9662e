import {
  CreateInstanceConnectEndpointCommand,
  DescribeInstanceConnectEndpointsCommand,
  type EC2Client,
  type Ec2InstanceConnectEndpoint,
  type Filter,
} from '@aws-sdk/client-ec2';

import { abortError } from '../base/abort';
import { oneLine } from '../base/sanitize';
import { ProductError } from '../errors/productError';

/** An EC2 Instance Connect Endpoint, reduced to what opening a tunnel through it takes. */
export interface InstanceConnectEndpoint {
  id: string;
  arn?: string;
  /** Where tunnels open: the DnsName AWS returned (it carries a hash segment, so it is never built). */
  dnsName: string;
  fipsDnsName?: string;
  vpcId: string;
  subnetId: string;
  state: string;
  /** Untrusted text from AWS: why the endpoint is in its state (set for failures). */
  stateMessage?: string;
  securityGroupIds: string[];
  region: string;
}

/** The states AWS CLI v2 connects through (eicefetcher.py): created, or updated (even a failed update keeps it working). */
export const usableStates = ['create-complete', 'update-in-progress', 'update-failed', 'update-complete'] as const;

const pageSize = 50;

export function toEndpoint(endpoint: Ec2InstanceConnectEndpoint, region: string): InstanceConnectEndpoint {
  return {
    id: endpoint.InstanceConnectEndpointId ?? '',
    arn: endpoint.InstanceConnectEndpointArn || undefined,
    dnsName: endpoint.DnsName ?? '',
    fipsDnsName: endpoint.FipsDnsName || undefined,
    vpcId: endpoint.VpcId ?? '',
    subnetId: endpoint.SubnetId ?? '',
    state: endpoint.State ?? '',
    stateMessage: endpoint.StateMessage || undefined,
    securityGroupIds: endpoint.SecurityGroupIds ?? [],
    region,
  };
}

/** Every endpoint matching the filters, page by page. */
async function describeEndpoints(
  ec2: EC2Client,
  region: string,
  input: { filters: Filter[]; ids?: string[] },
  signal: AbortSignal | undefined,
): Promise<InstanceConnectEndpoint[]> {
  const all: InstanceConnectEndpoint[] = [];
  let nextToken: string | undefined;
  do {
    const out = await ec2.send(
      new DescribeInstanceConnectEndpointsCommand({
        InstanceConnectEndpointIds: input.ids?.length ? input.ids : undefined,
        Filters: input.filters.length ? input.filters : undefined,
        // MaxResults may not go with explicit ids (EC2 refuses the pair), and a list of ids is one page anyway.
        MaxResults: input.ids?.length ? undefined : pageSize,
        NextToken: nextToken,
      }),
      { abortSignal: signal },
    );
    all.push(...(out.InstanceConnectEndpoints ?? []).map((e) => toEndpoint(e, region)));
    nextToken = out.NextToken || undefined;
  } while (nextToken);
  return all;
}

/**
 * The endpoints a tunnel can open through: DescribeInstanceConnectEndpoints with AWS CLI v2's state filter,
 * in these VPCs or with these ids, every page.
 */
export function describeUsableEndpoints(
  ec2: EC2Client,
  region: string,
  filter: { vpcIds?: string[]; ids?: string[] },
  signal?: AbortSignal,
): Promise<InstanceConnectEndpoint[]> {
  const filters: Filter[] = [{ Name: 'state', Values: [...usableStates] }];
  if (filter.vpcIds?.length) filters.push({ Name: 'vpc-id', Values: [...filter.vpcIds] });
  return describeEndpoints(ec2, region, { filters, ids: filter.ids }, signal);
}

/** Asks EC2 to create an endpoint in the subnet. It starts in create-in-progress: waitForEndpoint follows it. */
export async function createEndpoint(
  ec2: EC2Client,
  request: { region: string; subnetId: string; securityGroupIds?: string[]; preserveClientIp?: boolean },
  signal?: AbortSignal,
): Promise<InstanceConnectEndpoint> {
  const out = await ec2.send(
    new CreateInstanceConnectEndpointCommand({
      SubnetId: request.subnetId,
      SecurityGroupIds: request.securityGroupIds?.length ? request.securityGroupIds : undefined,
      PreserveClientIp: request.preserveClientIp,
    }),
    { abortSignal: signal },
  );
  if (!out.InstanceConnectEndpoint?.InstanceConnectEndpointId) {
    throw new ProductError('tunnelRefused', `EC2 did not say which EC2 Instance Connect Endpoint it created in ${request.subnetId}. Look in the VPC console.`, {
      subnetId: request.subnetId,
    });
  }
  return toEndpoint(out.InstanceConnectEndpoint, request.region);
}

const defaultPollMs = 5_000;
/** Creation takes a few minutes; past this something is wrong. */
const defaultTimeoutMs = 15 * 60_000;

/**
 * Polls the endpoint until it is create-complete (resolves with it), create-failed or being deleted (throws
 * ProductError 'noEndpoint' with AWS's StateMessage), or the time is up ('timeout'). Each state seen is
 * passed to onState, for progress.
 */
export async function waitForEndpoint(
  ec2: EC2Client,
  region: string,
  id: string,
  options: { onState?(state: string): void; pollMs?: number; timeoutMs?: number; signal?: AbortSignal },
): Promise<InstanceConnectEndpoint> {
  const pollMs = options.pollMs ?? defaultPollMs;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  let waited = 0;
  let last: string | undefined;
  for (;;) {
    const [endpoint] = await describeEndpoints(ec2, region, { filters: [], ids: [id] }, options.signal);
    const state = endpoint?.state ?? 'delete-complete';
    if (state !== last) options.onState?.(state);
    last = state;
    if (state === 'create-complete' && endpoint) return endpoint;
    if (state === 'create-failed' || state.startsWith('delete')) {
      const why = endpoint?.stateMessage ? `: ${oneLine(endpoint.stateMessage, 500)}` : '.';
      const what = state === 'create-failed' ? 'could not be created' : 'is being deleted';
      throw new ProductError('noEndpoint', `EC2 Instance Connect Endpoint ${id} in ${region} ${what} (${state})${why}`, {
        endpointId: id,
        state,
        stateMessage: endpoint?.stateMessage && oneLine(endpoint.stateMessage, 500),
      });
    }
    if (state.startsWith('update') && endpoint) return endpoint;
    if (waited >= timeoutMs) {
      const minutes = Math.max(1, Math.round(timeoutMs / 60_000));
      throw new ProductError(
        'timeout',
        `EC2 Instance Connect Endpoint ${id} in ${region} was still ${state} after ${minutes} minute${minutes === 1 ? '' : 's'}. Look at it in the VPC console, then try again.`,
        { endpointId: id, state },
      );
    }
    await sleep(pollMs, options.signal);
    waited += pollMs;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
