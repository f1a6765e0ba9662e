// Tunnels through a sandbox's Instance Connect Endpoints, opened as AWS CLI v2's open-tunnel opens them: TLS to
// port 443 of the DnsName (as root it resolves through /etc/hosts), a presigned SigV4 URL, binary frames.
import { readFileSync } from 'node:fs';

import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import WebSocket from 'ws';

import type { Sandbox, SandboxInstance } from '../index';

export interface TunnelUrl {
  dnsName: string;
  endpointId: string;
  privateIp: string;
  remotePort?: string;
  maxTunnelDuration?: string;
  secretAccessKey?: string;
  accessKeyId?: string;
  signingDate?: Date;
  region?: string;
}

export async function tunnelUrl(sandbox: Sandbox, options: TunnelUrl): Promise<string> {
  const { credentials, regions } = sandbox.manifest;
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId ?? credentials.accessKeyId, secretAccessKey: options.secretAccessKey ?? credentials.secretAccessKey },
    region: options.region ?? regions[0], service: 'ec2-instance-connect', sha256: Hash.bind(null, 'sha256'),
  });
  const query: Record<string, string> = {
    instanceConnectEndpointId: options.endpointId, remotePort: options.remotePort ?? '22', privateIpAddress: options.privateIp,
  };
  if (options.maxTunnelDuration) query.maxTunnelDuration = options.maxTunnelDuration;
  const signed = await signer.presign(
    new HttpRequest({ method: 'GET', protocol: 'wss:', hostname: options.dnsName, path: '/openTunnel', query, headers: { host: options.dnsName } }),
    { expiresIn: 60, signingDate: options.signingDate },
  );
  return `wss://${options.dnsName}/openTunnel?${new URLSearchParams(signed.query as Record<string, string>).toString()}`;
}

/** A tunnel through the first region's default endpoint to this instance's private IP. */
export function tunnelVia(sandbox: Sandbox, instance: SandboxInstance, extra: Partial<TunnelUrl> = {}): Promise<string> {
  const endpoint = sandbox.manifest.instanceConnectEndpoints[0];
  return tunnelUrl(sandbox, { dnsName: endpoint.dnsName, endpointId: endpoint.instanceConnectEndpointId, privateIp: instance.privateIp, ...extra });
}

export type Outcome =
  | { kind: 'open'; ws: WebSocket; first: Promise<Buffer> }
  | { kind: 'refused'; status: number; body: unknown; requestId: string | undefined };

export function openTunnel(sandbox: Sandbox, url: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ca: readFileSync(sandbox.manifest.caFile), perMessageDeflate: false });
    ws.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () => resolve({ kind: 'refused', status: response.statusCode ?? 0, body: JSON.parse(text), requestId: response.headers['x-amzn-requestid'] as string | undefined }));
    });
    ws.once('open', () => resolve({ kind: 'open', ws, first: new Promise((got) => ws.once('message', (data: Buffer) => got(data))) }));
    ws.once('error', reject);
  });
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}
