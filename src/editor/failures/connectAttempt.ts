import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { checkConnectable } from '../../core/connect/connectable';
import type { Lease } from '../../core/connect/connectionPool';
import type { ConnectTarget } from '../../core/connect/connector';
import type { FailureContext } from '../../core/errors/types';
import { confirmAndCreateEndpoint } from '../actions/createEndpoint';
import { pickOsUser } from '../pickers/pickOsUser';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import { instanceContext } from './instanceContext';

/**
 * What a command knows of its connection to an instance as it goes: the instance as last looked up (a
 * reconnect looks it up again, and a stop and start changes its address) and where it connects, so that a
 * failure names the user, host, port and endpoint it was trying.
 */
export class ConnectAttempt {
  private latest: Ec2Instance;
  private reached?: ConnectTarget;

  constructor(instance: Ec2Instance) {
    this.latest = instance;
  }

  get instance(): Ec2Instance {
    return this.latest;
  }

  get target(): ConnectTarget | undefined {
    return this.reached;
  }

  /** The pool's onConnecting, and the target a connection was made to. */
  connecting(target: ConnectTarget): void {
    this.reached = target;
    this.latest = target.instance;
  }

  /** The failure context of the connection, as far as it got. */
  context(): FailureContext {
    const target = this.reached;
    return {
      ...instanceContext(this.latest, 'connect'),
      osUser: target?.osUser,
      host: target?.host,
      port: target?.port,
      endpointId: target?.endpoint?.id,
    };
  }
}

/**
 * A lease on the instance's shared connection (the one its terminals use), with a progress notification while
 * it connects. What can be known without the network (not running, Windows, no address) throws before it.
 */
export async function leaseWithProgress(services: Services, attempt: ConnectAttempt): Promise<Lease> {
  checkConnectable(attempt.instance);
  const lease = await services.ui.withProgress(`Connecting to ${instanceTitle(attempt.instance)}…`, (signal) =>
    services.pool().acquire({
      instance: attempt.instance,
      chooseOsUser: (i) => pickOsUser(services, i),
      onConnecting: (t) => attempt.connecting(t),
      signal,
    }),
  );
  attempt.connecting(lease.target);
  return lease;
}

/** The actions of a failed connection that change what it connects with, each followed by `again`. */
export interface ReconnectActions {
  chooseAnotherUser: () => Promise<void>;
  startInstance: () => Promise<void>;
  createEndpoint: () => Promise<void>;
}

/**
 * Choose Another User (remembered for the instance), Start Instance, Create Instance Connect Endpoint…:
 * the fixes a failed connection offers, the first and last of which then try again (`again`).
 */
export function reconnectActions(services: Services, instance: Ec2Instance, osUser: string | undefined, again: () => unknown): ReconnectActions {
  return {
    chooseAnotherUser: async () => {
      const user = await pickOsUser(services, instance, osUser);
      if (!user) return;
      await services.connector().osUsers.remember(instance.instanceId, user);
      await again();
    },
    startInstance: async () => {
      await services.ui.executeCommand(commandIds.startInstance, instance);
    },
    createEndpoint: async () => {
      if (await confirmAndCreateEndpoint(services, instance)) await again();
    },
  };
}
