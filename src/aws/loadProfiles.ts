import { loadSharedConfigFiles } from '@smithy/core/config';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { profilesFromFiles, type AwsProfile, type Env } from './profiles';

/** The paths the SDK reads, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (with `~/`). */
export function awsConfigPaths(env: Env = process.env, home = homedir()): { config: string; credentials: string } {
  const expand = (path: string) => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

/**
 * Every profile in ~/.aws/config and ~/.aws/credentials (missing files are no profiles), plus environment
 * credentials. Read with the SDK's own loader, fresh each time, so the list matches what its providers resolve.
 */
export async function loadProfiles(env: Env = process.env, home = homedir()): Promise<AwsProfile[]> {
  const paths = awsConfigPaths(env, home);
  const files = await loadSharedConfigFiles({ configFilepath: paths.config, filepath: paths.credentials, ignoreCache: true });
  return profilesFromFiles(files.configFile, files.credentialsFile, env);
}
