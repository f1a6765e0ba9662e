// The account's instances and what happens to them: start, stop and reboot move them through EC2's states
// and bring their server (sshd, or a Windows instance's port 3389) up or down with them.
import { type InstanceRecord, type InstanceStateName, stoppedByUser } from './account';
import { type ApiError, ec2Error } from './api-errors';
import { Sshd } from './sshd';

/** What runs on an instance while it runs: its sshd, or a Windows instance's port 3389. */
export interface InstanceServer {
  /** Resolves once it accepts connections. */
  start(): Promise<void>;
  /** Cuts its connections and stops listening. */
  stop(): Promise<void>;
  /** For process exit, where nothing asynchronous runs any more. */
  killSync(): void;
}

export interface FleetOptions {
  /** How long pending and stopping last. */
  transitionMs: number;
  log: (line: string) => void;
}

export interface StateChange {
  instanceId: string;
  previous: InstanceStateName;
  current: InstanceStateName;
}

function incorrectState(instance: InstanceRecord, verb: string): ApiError {
  return ec2Error('IncorrectInstanceState', `The instance '${instance.instanceId}' is not in a state from which it can be ${verb}.`);
}

export class Fleet {
  private readonly byKey = new Map<string, InstanceRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    readonly instances: InstanceRecord[],
    private readonly servers: Map<string, InstanceServer>,
    private readonly options: FleetOptions,
  ) {
    for (const instance of instances) this.byKey.set(`${instance.region}/${instance.instanceId}`, instance);
  }

  find(region: string, instanceId: string): InstanceRecord | undefined {
    return this.byKey.get(`${region}/${instanceId}`);
  }

  /** Looks an instance up in every region (the serial console endpoint knows instances by id alone). */
  findAnywhere(instanceId: string): InstanceRecord | undefined {
    return this.instances.find((instance) => instance.instanceId === instanceId);
  }

  inRegion(region: string): InstanceRecord[] {
    return this.instances.filter((instance) => instance.region === region);
  }

  sshd(instanceId: string): Sshd | undefined {
    const server = this.servers.get(instanceId);
    return server instanceof Sshd ? server : undefined;
  }

  /** Throws before changing anything when one of them cannot start, as EC2 does. */
  start(instances: InstanceRecord[]): StateChange[] {
    for (const instance of instances) {
      if (instance.state === 'stopping' || instance.state === 'terminated' || instance.state === 'shutting-down') {
        throw incorrectState(instance, 'started');
      }
    }
    return instances.map((instance) => {
      const previous = instance.state;
      if (previous === 'stopped') {
        this.setState(instance, 'pending');
        instance.launchTime = new Date();
        instance.stateTransitionReason = '';
        instance.stateReason = undefined;
        this.later(async () => {
          await this.servers.get(instance.instanceId)?.start()
            .catch((error: Error) => this.options.log(`the server of ${instance.instanceId} failed to start: ${error.message}`));
          if (instance.state === 'pending') this.setState(instance, 'running');
        });
      }
      return { instanceId: instance.instanceId, previous, current: instance.state };
    });
  }

  stop(instances: InstanceRecord[]): StateChange[] {
    for (const instance of instances) {
      if (instance.state === 'pending' || instance.state === 'terminated' || instance.state === 'shutting-down') {
        throw incorrectState(instance, 'stopped');
      }
    }
    return instances.map((instance) => {
      const previous = instance.state;
      if (previous === 'running') {
        this.setState(instance, 'stopping');
        stoppedByUser(instance, new Date());
        // The OS shuts down first: its sshd is gone well before the instance reads "stopped".
        const shutdown = this.servers.get(instance.instanceId)?.stop();
        this.later(async () => {
          await shutdown;
          if (instance.state === 'stopping') this.setState(instance, 'stopped');
        });
      }
      return { instanceId: instance.instanceId, previous, current: instance.state };
    });
  }

  reboot(instances: InstanceRecord[]): void {
    for (const instance of instances) {
      if (instance.state !== 'running') throw incorrectState(instance, 'rebooted');
    }
    for (const instance of instances) {
      const server = this.servers.get(instance.instanceId);
      this.options.log(`${instance.instanceId} rebooting`);
      if (!server) continue;
      void server.stop().then(() => {
        if (this.stopped) return undefined;
        return server.start();
      }).catch((error: Error) => this.options.log(`the server of ${instance.instanceId} failed to restart: ${error.message}`));
    }
  }

  /** Cuts the instance's open SSH connections; its sshd keeps listening. Returns how many processes it ended. */
  dropSsh(instanceId: string): number {
    return this.sshd(instanceId)?.dropConnections().length ?? 0;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.servers.values()].map((server) => server.stop()));
  }

  private setState(instance: InstanceRecord, state: InstanceStateName): void {
    this.options.log(`${instance.instanceId} ${instance.state} → ${state}`);
    instance.state = state;
  }

  private later(action: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void action();
    }, this.options.transitionMs);
    this.timers.add(timer);
  }
}
