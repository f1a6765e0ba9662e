import { describeThrown, type Logger } from '../base/log';
import { listenForTunnels, type TunnelListener, type TunnelOpener } from '../connect/openTunnel';
import { ForwardBase, type ForwardInstance } from './forward';

export interface EndpointForwardOptions {
  instance: ForwardInstance;
  /** A fresh, freshly signed tunnel to the instance's port each time. */
  open: TunnelOpener;
  /** The instance's private address and port, as the tunnel reaches them. */
  remote: { host: string; port: number };
  /** Where it listens here; port 0: any free one. */
  local: { host: string; port: number };
  /** The endpoint the tunnels go through, for messages. */
  endpointId: string;
  /** Tunnels at once (each is one of the endpoint's 20 connections). */
  maxConnections: number;
  log: Logger;
}

/**
 * An Instance Connect Endpoint tunnel per local connection, with no SSH: RDP to a Windows instance (port
 * 3389), as `aws ec2-instance-connect open-tunnel --local-port` does it.
 */
export class EndpointForward extends ForwardBase {
  readonly kind = 'endpoint';
  readonly endpointId: string;
  private listener?: TunnelListener;
  private total = 0;

  private constructor(private readonly options: EndpointForwardOptions) {
    super(options.instance, options.remote);
    this.endpointId = options.endpointId;
  }

  static async start(options: EndpointForwardOptions): Promise<EndpointForward> {
    const forward = new EndpointForward(options);
    const log = options.log.child('forward');
    const counted: TunnelOpener = (signal) => {
      forward.total++;
      return options.open(signal);
    };
    forward.listener = await listenForTunnels(counted, {
      host: options.local.host,
      port: options.local.port,
      maxConnections: options.maxConnections,
      log,
      onChange: () => forward.changes.fire(),
      onTunnel: (failure) => {
        if (failure === undefined) forward.set('open', undefined);
        else forward.set('failed', describeThrown(failure));
      },
    });
    log.info(`${forward.local.host}:${forward.local.port} → ${options.remote.host}:${options.remote.port} through ${options.endpointId} listening`);
    return forward;
  }

  get local(): { host: string; port: number } {
    return { host: this.options.local.host, port: this.listener?.port ?? this.options.local.port };
  }

  get connections(): { open: number; total: number } {
    return { open: this.listener?.open ?? 0, total: this.total };
  }

  protected async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }
}
