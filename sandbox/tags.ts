// CreateTags and DeleteTags on instances: what lets a test (or any client) give an instance a hostile Name
// without touching the sandbox's code, as EC2 lets its owner.
import type { InstanceRecord } from './account';
import { type ApiError, ec2Error } from './api-errors';
import { listParam } from './filters';
import type { Fleet } from './fleet';
import type { XmlObject } from './xml';

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** EC2's limits: 50 tags a resource, keys of 1 to 128 characters, values of up to 256; `aws:` keys are AWS's own. */
const MAX_TAGS = 50;

interface TagParam {
  key: string;
  value?: string;
}

/** `Tag.N.Key` / `Tag.N.Value`, in order of N. */
function tagParams(params: URLSearchParams): TagParam[] {
  const tags: TagParam[] = [];
  for (let n = 1; params.has(`Tag.${n}.Key`); n++) {
    const value = params.get(`Tag.${n}.Value`);
    tags.push({ key: params.get(`Tag.${n}.Key`) ?? '', ...(value === null ? {} : { value }) });
  }
  return tags;
}

function resources(fleet: Fleet, region: string, params: URLSearchParams): InstanceRecord[] {
  const ids = listParam(params, 'ResourceId');
  if (ids.length === 0) throw ec2Error('MissingParameter', 'The request must contain the parameter ResourceId');
  return ids.map((id) => {
    if (!INSTANCE_ID.test(id)) throw ec2Error('InvalidID', `The ID '${id}' is not valid`);
    const instance = fleet.find(region, id);
    if (!instance) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    return instance;
  });
}

function checkKey(key: string): ApiError | undefined {
  if (key.length < 1 || key.length > 128) return ec2Error('InvalidParameterValue', `Tag key must be between 1 and 128 characters, got ${key.length}`);
  if (key.toLowerCase().startsWith('aws:')) return ec2Error('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use");
  return undefined;
}

export function createTags(fleet: Fleet, region: string, params: URLSearchParams, checkDryRun: () => void): XmlObject {
  const instances = resources(fleet, region, params);
  const tags = tagParams(params);
  if (tags.length === 0) throw ec2Error('MissingParameter', 'The request must contain the parameter Tag');
  for (const tag of tags) {
    const problem = checkKey(tag.key);
    if (problem) throw problem;
    if ((tag.value ?? '').length > 256) throw ec2Error('InvalidParameterValue', `Tag value must be at most 256 characters, got ${(tag.value ?? '').length}`);
  }
  for (const instance of instances) {
    const keys = new Set([...instance.tags.map(([key]) => key), ...tags.map((tag) => tag.key)]);
    if (keys.size > MAX_TAGS) throw ec2Error('TagLimitExceeded', `The maximum number of Tags for a resource has been reached.`);
  }
  checkDryRun();
  for (const instance of instances) {
    for (const tag of tags) {
      const value = tag.value ?? '';
      const at = instance.tags.findIndex(([key]) => key === tag.key);
      if (at >= 0) instance.tags[at] = [tag.key, value];
      else instance.tags.push([tag.key, value]);
    }
  }
  return { return: true };
}

/** A tag named with a value is deleted only when its value is that one (EC2's rule); without, whatever its value. */
export function deleteTags(fleet: Fleet, region: string, params: URLSearchParams, checkDryRun: () => void): XmlObject {
  const instances = resources(fleet, region, params);
  const tags = tagParams(params);
  checkDryRun();
  for (const instance of instances) {
    instance.tags = tags.length === 0 ? [] : instance.tags.filter(([key, value]) => !tags.some((tag) => tag.key === key && (tag.value === undefined || tag.value === value)));
  }
  return { return: true };
}
