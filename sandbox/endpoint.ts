// The sandbox's one HTTP endpoint: EC2 (Query protocol) and EC2 Instance Connect (JSON 1.1) for the SDK,
// every request signature-checked, plus /_sandbox/* to steer the sandbox from tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApiError, ec2Error } from './api-errors';
import { type Ec2Account, ec2InstanceIds, handleEc2 } from './ec2-query';
import { type EicAccount, handleEic } from './eic-json';
import type { FaultTable } from './faults';
import { newRequestId } from './ids';
import { isEc2Operation, isEicOperation } from './operations';
import { type SignatureCheck, verifySignature } from './sigv4';
import { ec2ErrorResponse, ec2Response } from './xml';

export interface ControlApi {
  injectFault(fault: unknown): Promise<void>;
  clearFaults(): Promise<void>;
  setSerialConsoleAccess(enabled: boolean): void;
  manifest(): unknown;
}

export interface EndpointOptions {
  credentials: { accessKeyId: string; secretAccessKey: string };
  regions: string[];
  account: Ec2Account & EicAccount;
  faults: FaultTable;
  control: ControlApi;
  log: (line: string) => void;
}

const EIC_TARGET_PREFIX = 'AWSEC2InstanceConnectService.';
const MAX_BODY = 1024 * 1024;

/** A bad request to the control API (not an AWS error): answered with 400 and its message. */
export class ControlError extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ControlError('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function signatureErrorEc2(check: Extract<SignatureCheck, { ok: false }>): ApiError {
  switch (check.problem) {
    case 'missing': return ec2Error('MissingAuthenticationToken', 'Request is missing Authentication Token');
    case 'malformed': return ec2Error('IncompleteSignature', check.message);
    case 'unknownKey': return ec2Error('AuthFailure');
    case 'expired': return ec2Error('RequestExpired', `Request has expired. ${check.message}`);
    case 'mismatch': return ec2Error('SignatureDoesNotMatch', check.message);
  }
}

function signatureErrorEic(check: Extract<SignatureCheck, { ok: false }>): ApiError {
  switch (check.problem) {
    case 'missing': return new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
    case 'malformed': return new ApiError('IncompleteSignatureException', check.message, 400);
    case 'unknownKey': return new ApiError('UnrecognizedClientException', check.message, 400);
    case 'expired':
    case 'mismatch': return new ApiError('InvalidSignatureException', check.message, 400);
  }
}

export class Endpoint {
  private readonly server: Server;
  url = '';

  constructor(private readonly options: EndpointOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => {
        options.log(`internal error: ${error.stack ?? error.message}`);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('sandbox internal error');
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // The SDK keeps connections alive; without this close() would wait for them to idle out.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const body = await readBody(request);
    if (url.pathname.startsWith('/_sandbox/')) {
      await this.handleControl(request.method ?? 'GET', url.pathname, body, response);
      return;
    }
    const target = request.headers['x-amz-target'];
    const requestId = newRequestId();
    if (typeof target === 'string') {
      await this.handleEic(request, url, body, target, requestId, response);
    } else {
      await this.handleEc2(request, url, body, requestId, response);
    }
  }

  private async check(request: IncomingMessage, url: URL, body: Buffer, service: string): Promise<SignatureCheck> {
    const check = await verifySignature(
      { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers, body },
      this.options.credentials,
    );
    if (check.ok && check.service !== service) {
      return { ok: false, problem: 'mismatch', message: `Credential should be scoped to correct service: '${service}'.` };
    }
    return check;
  }

  private async delay(): Promise<void> {
    const latency = this.options.faults.latencyMs;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  }

  private async handleEc2(request: IncomingMessage, url: URL, body: Buffer, requestId: string, response: ServerResponse): Promise<void> {
    const params = new URLSearchParams(url.searchParams);
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.append(key, value);
    const action = params.get('Action') ?? '';
    const instanceIds = ec2InstanceIds(params);
    let region = '';
    const send = (status: number, xml: string, note: string): void => {
      response.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId });
      response.end(xml);
      this.options.log(`ec2 ${region || '-'} ${action || '(no action)'}${instanceIds.length ? ` ${instanceIds.join(',')}` : ''} → ${status}${note ? ` ${note}` : ''}`);
    };
    try {
      const check = await this.check(request, url, body, 'ec2');
      if (!check.ok) throw signatureErrorEc2(check);
      region = check.region;
      if (!isEc2Operation(action)) throw ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
      // A region this account has not enabled (or that does not exist) does not know its credentials.
      if (!this.options.regions.includes(region)) throw ec2Error('AuthFailure');
      await this.delay();
      const fault = this.options.faults.take({ service: 'ec2', operation: action, region, instanceIds });
      if (fault) throw fault;
      send(200, ec2Response(action, requestId, handleEc2(action, region, params, this.options.account)), '');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(error.status, ec2ErrorResponse(error.code, error.message, requestId), error.code);
    }
  }

  private async handleEic(request: IncomingMessage, url: URL, body: Buffer, target: string, requestId: string, response: ServerResponse): Promise<void> {
    const operation = target.startsWith(EIC_TARGET_PREFIX) ? target.slice(EIC_TARGET_PREFIX.length) : target;
    let region = '';
    let instanceId: string | undefined;
    const send = (status: number, payload: unknown, errorCode?: string): void => {
      const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId };
      if (errorCode) headers['x-amzn-errortype'] = errorCode;
      response.writeHead(status, headers);
      response.end(JSON.stringify(payload));
      this.options.log(`ec2-instance-connect ${region || '-'} ${operation}${instanceId ? ` ${instanceId}` : ''} → ${status}${errorCode ? ` ${errorCode}` : ''}`);
    };
    try {
      const check = await this.check(request, url, body, 'ec2-instance-connect');
      if (!check.ok) throw signatureErrorEic(check);
      region = check.region;
      if (!isEicOperation(operation)) throw new ApiError('UnknownOperationException', `Unknown operation ${target}`, 400);
      if (!this.options.regions.includes(region)) {
        throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
      }
      let input: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        input = parsed as Record<string, unknown>;
      } catch {
        throw new ApiError('SerializationException', 'Start of structure or map found where not expected.', 400);
      }
      instanceId = typeof input.InstanceId === 'string' ? input.InstanceId : undefined;
      await this.delay();
      const fault = this.options.faults.take({
        service: 'ec2-instance-connect', operation, region, instanceId, instanceIds: instanceId ? [instanceId] : [],
      });
      if (fault) throw fault;
      send(200, { RequestId: requestId, ...handleEic(operation, region, input, this.options.account) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(error.status, { __type: error.code, Message: error.message }, error.code);
    }
  }

  private async handleControl(method: string, path: string, body: Buffer, response: ServerResponse): Promise<void> {
    const reply = (status: number, payload: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    const { control } = this.options;
    try {
      const json = (): unknown => {
        try {
          return JSON.parse(body.toString('utf8'));
        } catch {
          throw new ControlError('the body must be JSON');
        }
      };
      if (path === '/_sandbox/faults' && method === 'POST') {
        await control.injectFault(json());
        reply(200, { ok: true });
      } else if (path === '/_sandbox/faults' && method === 'DELETE') {
        await control.clearFaults();
        reply(200, { ok: true });
      } else if (path === '/_sandbox/serial-console-access' && method === 'POST') {
        const enabled = (json() as { enabled?: unknown }).enabled;
        if (typeof enabled !== 'boolean') throw new ControlError('expected {"enabled": true|false}');
        control.setSerialConsoleAccess(enabled);
        reply(200, { ok: true });
      } else if (path === '/_sandbox/manifest' && method === 'GET') {
        reply(200, control.manifest());
      } else {
        reply(404, { error: `no ${method} ${path}` });
      }
    } catch (error) {
      if (!(error instanceof ControlError)) throw error;
      reply(400, { error: error.message });
    }
  }
}
