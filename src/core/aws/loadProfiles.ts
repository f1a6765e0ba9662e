import { homedir } from 'node:os';

import { loadSharedConfigFiles } from '@smithy/core/config';

import { awsConfigPaths } from './configPaths';
import { type AwsProfile, type Env, profilesFromFiles } from './profiles';

/**
 * Every profile in ~/.aws/config and ~/.aws/credentials (missing files are no profiles), plus environment
 * credentials. Read with the SDK's own loader, fresh each time, so the list matches what its providers resolve.
 */
export async function loadProfiles(env: Env = process.env, home = homedir()): Promise<AwsProfile[]> {
  const paths = awsConfigPaths(env, home);
  const files = await loadSharedConfigFiles({ configFilepath: paths.config, filepath: paths.credentials, ignoreCache: true });
  return profilesFromFiles(files.configFile, files.credentialsFile, env);
}
