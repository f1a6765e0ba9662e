import { homedir } from 'node:os';
import { join } from 'node:path';

import type { Env } from './profiles';

/** The paths the SDK reads, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (with `~/`). */
export function awsConfigPaths(env: Env = process.env, home = homedir()): { config: string; credentials: string } {
  const expand = (path: string) => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}
