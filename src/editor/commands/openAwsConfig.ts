import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { awsConfigPaths } from '../../core/aws/configPaths';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

const template = `# AWS configuration, read by the AWS CLI, the AWS SDKs and the EC2 Instance Connect extension.
# Uncomment one of the examples below and fill it in, then click Refresh in the EC2 view.
# Reference: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
#
# A profile with access keys (put the keys themselves in ~/.aws/credentials, under [work]):
# [profile work]
# region = us-east-1
#
# A profile that signs in with IAM Identity Center (SSO):
# [profile my-sso]
# sso_session = my-company
# sso_account_id = 111122223333
# sso_role_name = ReadOnlyAccess
# region = us-east-1
#
# [sso-session my-company]
# sso_start_url = https://my-company.awsapps.com/start
# sso_region = us-east-1
# sso_registration_scopes = sso:account:access
`;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Opens ~/.aws/config (or AWS_CONFIG_FILE), creating it with a commented template when missing.
 * Run on a profile whose keys were rejected, it opens the credentials file instead, where keys live.
 */
export const openAwsConfig: CommandDefinition = {
  id: commandIds.openAwsConfig,
  run: async (services, node) => {
    const paths = awsConfigPaths();
    const wantsKeys = (node as { kind?: string; problem?: string } | undefined)?.problem === 'credentials';
    if (wantsKeys && (await exists(paths.credentials))) return services.ui.openFile(paths.credentials);
    if (!(await exists(paths.config))) {
      await mkdir(dirname(paths.config), { recursive: true, mode: 0o700 });
      await writeFile(paths.config, template, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      services.log.child('explorer').info(`created ${paths.config} with a commented template`);
    }
    await services.ui.openFile(paths.config);
  },
};
