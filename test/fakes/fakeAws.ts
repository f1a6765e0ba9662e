import {
  DescribeImagesCommand,
  DescribeInstanceConnectEndpointsCommand,
  DescribeInstancesCommand,
  type Ec2InstanceConnectEndpoint,
  type Image,
  type Instance,
} from '@aws-sdk/client-ec2';
import { SendSSHPublicKeyCommand, type SendSSHPublicKeyCommandInput } from '@aws-sdk/client-ec2-instance-connect';

import type { AwsClients } from '../../src/core/aws/clients';

/**
 * AwsClients whose clients answer from the test's tables, for unit tests of the connect flow.
 * Pushes are recorded and handed to `onPush` (which authorizes the key on a test ssh server).
 */
export class FakeAws {
  readonly instances = new Map<string, Instance>();
  readonly images = new Map<string, Image>();
  /** What DescribeInstanceConnectEndpoints answers (its state and vpc-id filters applied); none by default. */
  readonly endpoints: Ec2InstanceConnectEndpoint[] = [];
  readonly pushes: SendSSHPublicKeyCommandInput[] = [];
  readonly calls: string[] = [];
  /** May take its time (resolve later) or throw, as the service would. */
  onPush: (push: SendSSHPublicKeyCommandInput) => void | Promise<void> = () => {};
  /** Holds DescribeImages answers back until it resolves; an aborted call rejects meanwhile, as the SDK's does. */
  imagesGate?: Promise<void>;

  clients(): AwsClients {
    const ec2 = {
      send: async (command: unknown, options: { abortSignal?: AbortSignal } = {}) => {
        if (command instanceof DescribeInstancesCommand) {
          this.calls.push('DescribeInstances');
          const found = (command.input.InstanceIds ?? []).flatMap((id) => this.instances.get(id) ?? []);
          if (found.length === 0) throw Object.assign(new Error('The instance ID does not exist'), { name: 'InvalidInstanceID.NotFound' });
          return { Reservations: [{ Instances: found }] };
        }
        if (command instanceof DescribeImagesCommand) {
          this.calls.push('DescribeImages');
          await abortable(this.imagesGate, options.abortSignal);
          return { Images: (command.input.ImageIds ?? []).flatMap((id) => this.images.get(id) ?? []) };
        }
        if (command instanceof DescribeInstanceConnectEndpointsCommand) {
          this.calls.push('DescribeInstanceConnectEndpoints');
          const filter = (name: string) => command.input.Filters?.find((f) => f.Name === name)?.Values;
          const states = filter('state');
          const vpcs = filter('vpc-id');
          const matching = this.endpoints.filter((e) => (!states || states.includes(e.State ?? '')) && (!vpcs || vpcs.includes(e.VpcId ?? '')));
          return { InstanceConnectEndpoints: matching };
        }
        throw new Error(`unexpected EC2 call ${command?.constructor?.name ?? String(command)}`);
      },
    };
    const eic = {
      send: async (command: unknown) => {
        if (!(command instanceof SendSSHPublicKeyCommand)) throw new Error('unexpected EC2 Instance Connect call');
        this.calls.push('SendSSHPublicKey');
        this.pushes.push(command.input);
        await this.onPush(command.input);
        return { RequestId: `req-${this.pushes.length}`, Success: true };
      },
    };
    // Credentials as a profile resolves them (Connect waits for them, with a deadline, before the push).
    const credentialProvider = () => async () => ({ accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret' });
    return { ec2Client: () => ec2, instanceConnectClient: () => eic, credentialProvider } as unknown as AwsClients;
  }
}

/** Waits for `gate`, or rejects with the SDK's AbortError as soon as `signal` aborts. */
function abortable(gate: Promise<void> | undefined, signal: AbortSignal | undefined): Promise<void> {
  if (!gate) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    void gate.then(resolve);
  });
}
