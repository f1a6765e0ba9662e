/** Where an instance's files are: everything needed to reconnect after a restart without asking. */
export interface FilesLocation {
  profile?: string;
  region: string;
  instanceId: string;
  osUser: string;
}

/** The URI scheme of an instance's files: `ec2-instance://ec2-user@i-0abc~us-east-1~dev/home/ec2-user`. */
export const filesScheme = 'ec2-instance';

/**
 * The URI authority: `osUser@instanceId~region[~profile]`, each part percent-encoded (profile names may hold
 * anything; `~` separates, since neither an instance id nor a region has one).
 */
export function formatAuthority(location: FilesLocation): string {
  const parts = [location.instanceId, location.region, ...(location.profile !== undefined ? [location.profile] : [])].map(encodePart);
  return `${encodePart(location.osUser)}@${parts.join('~')}`;
}

/** The authority back, or undefined when it is not one of ours. */
export function parseAuthority(authority: string): FilesLocation | undefined {
  const at = authority.lastIndexOf('@');
  if (at <= 0) return undefined;
  const [instanceId, region, ...profile] = authority.slice(at + 1).split('~');
  if (!instanceId || !region || profile.length > 1) return undefined;
  try {
    const location: FilesLocation = { osUser: decodeURIComponent(authority.slice(0, at)), instanceId: decodeURIComponent(instanceId), region: decodeURIComponent(region) };
    if (profile.length) location.profile = decodeURIComponent(profile[0]);
    if (!/^i-[0-9a-f]{8,17}$/.test(location.instanceId) || !/^[a-z0-9-]+$/.test(location.region) || !location.osUser) return undefined;
    return location;
  } catch {
    return undefined;
  }
}

function encodePart(text: string): string {
  return encodeURIComponent(text).replace(/~/g, '%7E');
}
