import { ProductError } from '../core/errors/productError';
import { stringOption } from './args';
import type { CliCommand } from './main';
import { hostAndPort } from './serialConsole';
import { cliStatePath, instanceIdArgument } from './ssh';
import { JsonFileStore } from './stateFile';

export const forgetHostKeyCommand: CliCommand = {
  name: 'forget-host-key',
  summary: 'Forget the host key trusted for an instance (or a serial console endpoint)',
  usage: `Usage: ec2ic forget-host-key <instance-id>
       ec2ic forget-host-key --serial-console <host[:port]>

Forgets the host key that ec2ic ssh trusted for the instance on first use, after the instance was
rebuilt or its host keys were regenerated. The next connection trusts the key it presents.

  --serial-console H[:P]   Forget instead the key ec2ic serial-console trusted on first use for that
                           endpoint (one given with --endpoint and no --fingerprint). Port default: 22.`,
  commandLine: { options: { 'serial-console': { type: 'string' } } },
  run: async (args, core) => {
    const serial = stringOption(args, 'serial-console');
    if (serial !== undefined) {
      if (args.positionals.length) throw new ProductError('badInput', 'Give either an instance id or --serial-console <host[:port]>, not both.');
      const endpoint = hostAndPort(serial, '--serial-console');
      const where = `${endpoint.host}:${endpoint.port}`;
      const fingerprint = await core.forgetSerialHostKey(endpoint, await JsonFileStore.open(cliStatePath()));
      process.stdout.write(fingerprint ? `Forgot the host key of the serial console endpoint ${where} (${fingerprint}).\n` : `No host key is stored for the serial console endpoint ${where}.\n`);
      return 0;
    }
    const instanceId = instanceIdArgument(args, 'forget-host-key');
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
