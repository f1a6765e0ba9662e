import type { Ec2Instance } from '../../core/aws/model';
import { instanceTitle } from '../../core/aws/model';
import { commonOsUsers, validateOsUser } from '../../core/connect/osUser';
import type { Services } from '../services/services';
import type { PickItem } from '../services/ui';

const other = Symbol('other user');

/**
 * Asks which OS user to log in as: the common users of the stock images (the current one first), or any
 * other name typed in. Undefined when dismissed.
 */
export async function pickOsUser(services: Services, instance: Ec2Instance, current?: string): Promise<string | undefined> {
  const users = commonOsUsers.filter((u) => u.user !== current);
  const items: PickItem<string | typeof other>[] = [
    ...(current ? [{ label: current, description: 'current', value: current }] : []),
    ...users.map((u) => ({ label: u.user, description: u.images, value: u.user })),
    { label: 'Other user…', description: 'type a user name', value: other },
  ];
  const chosen = await services.ui.pick(items, {
    title: `OS user for ${instanceTitle(instance)}`,
    placeholder: 'The user Connect logs in as (the image decides which users exist)',
  });
  if (chosen !== other) return chosen;
  const typed = await services.ui.input({
    title: `OS user for ${instanceTitle(instance)}`,
    prompt: 'The Linux user to log in as',
    value: current,
    validate: validateOsUser,
  });
  return typed?.trim() || undefined;
}
