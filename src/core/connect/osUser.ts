import type { ImageInfo } from '../aws/images';
import type { Ec2Instance } from '../aws/model';
import type { KeyValueStore } from '../base/store';
import { instanceDescription } from '../errors/activity';
import { ProductError } from '../errors/productError';

/** The users the stock images of the common distributions log in with, for the "choose a user" pick. */
export const commonOsUsers: { user: string; images: string }[] = [
  { user: 'ec2-user', images: 'Amazon Linux, RHEL, SUSE, Oracle Linux, AlmaLinux, CentOS Stream, FreeBSD' },
  { user: 'ubuntu', images: 'Ubuntu' },
  { user: 'admin', images: 'Debian' },
  { user: 'centos', images: 'CentOS Linux 7 and older' },
  { user: 'fedora', images: 'Fedora' },
  { user: 'rocky', images: 'Rocky Linux' },
  { user: 'bitnami', images: 'Bitnami' },
  { user: 'core', images: 'Flatcar, Fedora CoreOS' },
  { user: 'root', images: 'some custom images' },
];

/**
 * Image text → default user, first match wins. Bitnami comes first (its images are named after the
 * Debian or Ubuntu they are built on); CentOS Stream before CentOS (Stream images use ec2-user).
 */
const imageRules: [RegExp, string][] = [
  [/bitnami/, 'bitnami'],
  [/ubuntu/, 'ubuntu'],
  [/debian/, 'admin'],
  [/centos[ -]?stream/, 'ec2-user'],
  [/centos/, 'centos'],
  [/fedora[ -]?coreos|flatcar/, 'core'],
  [/fedora/, 'fedora'],
  [/rocky/, 'rocky'],
  [/\bamzn|amazon linux|\bal20\d\d\b|\bal2\b/, 'ec2-user'],
  [/\brhel\b|\brhel-|red ?hat/, 'ec2-user'],
  [/\bsuse\b|\bsles\b|suse-sles|opensuse/, 'ec2-user'],
  [/oracle linux|\bol[789]\b|\bol[789][.-]/, 'ec2-user'],
  [/almalinux/, 'ec2-user'],
  [/freebsd/, 'ec2-user'],
];

/** The platform details EC2 bills by, for images whose name and description say nothing. */
const platformRules: [RegExp, string][] = [
  [/red hat/i, 'ec2-user'],
  [/suse/i, 'ec2-user'],
  [/ubuntu/i, 'ubuntu'],
];

/** The default user of the image, or undefined when its name, description and platform do not tell. */
export function detectOsUser(image: ImageInfo | undefined, instance: Pick<Ec2Instance, 'platformDetails'>): string | undefined {
  const text = `${image?.name ?? ''} ${image?.description ?? ''}`.toLowerCase();
  for (const [pattern, user] of imageRules) if (pattern.test(text)) return user;
  const platform = image?.platformDetails ?? instance.platformDetails ?? '';
  for (const [pattern, user] of platformRules) if (pattern.test(platform)) return user;
  return undefined;
}

/** EC2 Instance Connect does not support Windows: say so before anything is pushed. */
export function checkNotWindows(instance: Ec2Instance, image?: ImageInfo): void {
  const windows =
    instance.platform === 'windows' || /windows/i.test(instance.platformDetails ?? '') || image?.platform?.toLowerCase() === 'windows';
  if (windows) {
    throw new ProductError(
      'windowsUnsupported',
      `${instanceDescription(instance)} runs Windows, and EC2 Instance Connect supports only Linux instances. Reach it with Remote Desktop (RDP, port 3389) or Fleet Manager.`,
      { instanceId: instance.instanceId, region: instance.region },
    );
  }
}

/** The rules of the InstanceOSUser parameter (1 to 32 characters, a Linux user name); a message when broken. */
export function validateOsUser(user: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$/.test(user)) {
    return 'A user name is 1 to 32 letters, digits, "_", "-" or ".", starting with a letter or "_".';
  }
  return undefined;
}

const storeKey = (instanceId: string) => `osUser/${instanceId}`;

/** The OS user the person chose for each instance, remembered across sessions. */
export class OsUserMemory {
  constructor(private readonly store: KeyValueStore) {}

  get(instanceId: string): string | undefined {
    return this.store.get<string>(storeKey(instanceId));
  }

  async remember(instanceId: string, user: string): Promise<void> {
    await this.store.update(storeKey(instanceId), user);
  }

  async forget(instanceId: string): Promise<void> {
    await this.store.update(storeKey(instanceId), undefined);
  }
}
