import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { serialConsoleTeardownSeconds } from '../../core/connect/serialConsoleText';
import { errorCode } from '../../core/errors/errorShape';
import { confirmReboot } from '../actions/confirmReboot';
import { waitWithCountdown } from '../actions/countdown';
import { describedAgain } from '../actions/describedAgain';
import { confirmAndEnableSerialConsole } from '../actions/enableSerialConsole';
import { startAndWait } from '../actions/startAndWait';
import { pickAnotherProfile } from '../pickers/pickProfile';
import type { Services } from '../services/services';
import { instanceContext } from './instanceContext';
import { type FailureHandlers, reportFailure } from './reportFailure';

export interface SerialConsoleFailureOptions {
  /** How long "Retry in 30 s" waits (AWS frees the console about 30 s after a session); tests shorten it. */
  retryDelaySeconds?: number;
}

/**
 * A serial console session that failed in its terminal: a notification whose actions fix it, then continue in
 * the same terminal (enable access, wait for the console to be free, start, reboot, another profile).
 * `state.current` is the instance the terminal connects to next: an action may change it.
 */
export async function serialConsoleFailed(
  services: Services,
  err: unknown,
  state: { current: Ec2Instance },
  reconnect: () => void,
  options: SerialConsoleFailureOptions,
): Promise<void> {
  // The row the command came from may be stale: "Start Instance" only when the instance is stopped now.
  if (errorCode(err) === 'EC2InstanceStateInvalidException') state.current = (await describedAgain(services, state.current)) ?? state.current;
  const instance = state.current;
  const handlers: FailureHandlers = {
    retry: () => reconnect(),
    retryIn30s: async () => {
      const seconds = options.retryDelaySeconds ?? serialConsoleTeardownSeconds;
      if (await waitWithCountdown(services, `Waiting for the serial console of ${instanceTitle(instance)} to be free…`, seconds)) reconnect();
    },
    enableSerialConsole: async () => {
      if (await confirmAndEnableSerialConsole(services, { profile: instance.profile, region: instance.region })) reconnect();
    },
    startInstance: async () => {
      state.current = await startAndWait(services, instance);
      reconnect();
    },
    rebootInstance: async () => {
      if (!(await confirmReboot(services, instance))) return;
      await services.core().rebootInstance(services.aws().ec2Client(instance), instance.instanceId);
      services.log.child('serial').info(`reboot requested for ${instance.instanceId}; connecting again to watch it boot`);
      reconnect();
    },
    switchProfile: async () => {
      const profile = await pickAnotherProfile(services, instance.profile, 'connect to the serial console');
      if (profile === null) return;
      state.current = { ...instance, profile };
      reconnect();
    },
  };
  await reportFailure(services, err, instanceContext(instance, 'serialConsole'), handlers);
}
