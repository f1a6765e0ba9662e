/**
 * The folder URI that opens a Remote-SSH window: `vscode-remote://ssh-remote+<authority><path>`.
 * VS Code lower-cases URI authorities (a reopened "recent" entry would then name another host), so the
 * host travels hex-encoded in JSON, `{"hostName": alias}`: the form Remote-SSH and open-remote-ssh decode
 * (open-remote-ssh's SSHDestination.parseEncoded), and hex digits survive lower-casing unchanged.
 */

export const remoteSshScheme = 'vscode-remote';

export function remoteSshAuthority(hostAlias: string): string {
  return `ssh-remote+${Buffer.from(JSON.stringify({ hostName: hostAlias }), 'utf8').toString('hex')}`;
}

/** Where the window opens: the OS user's home directory, where Remote-SSH itself would start. */
export function remoteHomePath(user: string): string {
  return user === 'root' ? '/root' : `/home/${user}`;
}

export interface RemoteFolder {
  scheme: string;
  authority: string;
  path: string;
}

export function remoteSshFolder(hostAlias: string, user: string): RemoteFolder {
  return { scheme: remoteSshScheme, authority: remoteSshAuthority(hostAlias), path: remoteHomePath(user) };
}

export function remoteFolderToString(folder: RemoteFolder): string {
  return `${folder.scheme}://${folder.authority}${folder.path}`;
}
