import * as vscode from 'vscode';

import { defaultSettings, type Settings } from '../../core/base/settings';

/** Reads the `ec2InstanceConnect.*` settings into the core's plain Settings. */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('ec2InstanceConnect');
  const d = defaultSettings;
  return {
    profiles: c.get('profiles', d.profiles),
    regions: c.get('regions', d.regions),
    alwaysShowProfiles: c.get('alwaysShowProfiles', d.alwaysShowProfiles),
    alwaysShowRegions: c.get('alwaysShowRegions', d.alwaysShowRegions),
    endpoint: c.get('endpoint', d.endpoint).trim(),
    usePrivateAddress: c.get('usePrivateAddress', d.usePrivateAddress),
    port: c.get('port', d.port),
    keyType: c.get('keyType', d.keyType),
    connectTimeoutSeconds: c.get('connectTimeout', d.connectTimeoutSeconds),
    keepaliveIntervalSeconds: c.get('keepaliveInterval', d.keepaliveIntervalSeconds),
    autoRefreshIntervalSeconds: c.get('autoRefreshInterval', d.autoRefreshIntervalSeconds),
    serialConsole: {
      endpoint: c.get('serialConsole.endpoint', d.serialConsole.endpoint).trim(),
      port: c.get('serialConsole.port', d.serialConsole.port),
      fingerprint: c.get('serialConsole.fingerprint', d.serialConsole.fingerprint).trim(),
    },
    remoteSSH: {
      openInNewWindow: c.get('remoteSSH.openInNewWindow', d.remoteSSH.openInNewWindow),
      configFile: vscode.workspace.getConfiguration('remote.SSH').get<string>('configFile', '').trim(),
    },
  };
}
