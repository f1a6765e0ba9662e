import { isInstanceId } from '../core/aws/model';
import { ProductError } from '../core/errors/productError';
import type { CliCommand } from './main';
import { cliStatePath } from './ssh';
import { JsonFileStore } from './stateFile';

export const forgetHostKeyCommand: CliCommand = {
  name: 'forget-host-key',
  summary: 'Forget the host key trusted for an instance',
  usage: `Usage: ec2ic forget-host-key <instance-id>

Forgets the host key that ec2ic ssh trusted for the instance on first use, after the instance was
rebuilt or its host keys were regenerated. The next connection trusts the key it presents.`,
  run: async (args, core) => {
    const instanceId = args.positionals[0];
    if (!instanceId || !isInstanceId(instanceId)) {
      throw new ProductError('badInput', 'Name the instance: ec2ic forget-host-key i-0123456789abcdef0.');
    }
    const hostKeys = new core.HostKeyTrust(await JsonFileStore.open(cliStatePath()));
    const trusted = hostKeys.get(instanceId);
    if (!(await hostKeys.forget(instanceId))) {
      process.stdout.write(`No host key is stored for ${instanceId}.\n`);
      return 0;
    }
    process.stdout.write(`Forgot the host key of ${instanceId} (${trusted?.fingerprint}).\n`);
    return 0;
  },
};
