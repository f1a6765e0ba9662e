import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/**
 * The CLI's own directory for what it keeps between runs (its Remote-SSH key pair and host file):
 * %APPDATA%\ec2ic on Windows, else $XDG_CONFIG_HOME/ec2ic or ~/.config/ec2ic.
 */
export function cliConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'ec2ic');
  // The XDG spec says a relative value is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME && posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : posix.join(home, '.config');
  return posix.join(xdg, 'ec2ic');
}
