// EC2's `Filter.N.Name` / `Filter.N.Value.M` semantics: values of one filter are ORed, filters are ANDed,
// and values may use `*` and `?` wildcards.
import { ec2Error } from './api-errors';

export interface Filter {
  name: string;
  values: string[];
}

/** Reads `<prefix>.N` into a list, in N order. */
export function listParam(params: URLSearchParams, prefix: string): string[] {
  const found: [number, string][] = [];
  for (const [key, value] of params) {
    const match = new RegExp(`^${prefix.replace('.', '\\.')}\\.(\\d+)$`).exec(key);
    if (match) found.push([Number(match[1]), value]);
  }
  return found.sort(([a], [b]) => a - b).map(([, value]) => value);
}

export function filtersParam(params: URLSearchParams): Filter[] {
  const filters = new Map<number, Filter>();
  for (const [key, value] of params) {
    const match = /^Filter\.(\d+)\.(Name|Value\.\d+)$/.exec(key);
    if (!match) continue;
    const filter = filters.get(Number(match[1])) ?? { name: '', values: [] };
    if (match[2] === 'Name') filter.name = value;
    else filter.values.push(value);
    filters.set(Number(match[1]), filter);
  }
  return [...filters.values()];
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Values of a filter field for one item: several when the field is a list (tag keys, say). */
export type FilterFields<T> = (name: string) => ((item: T) => string[]) | undefined;

export function applyFilters<T>(items: T[], filters: Filter[], fields: FilterFields<T>): T[] {
  const compiled = filters.map((filter) => {
    const field = fields(filter.name);
    if (!field) throw ec2Error('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    return { field, patterns: filter.values.map(wildcard) };
  });
  return items.filter((item) => compiled.every(({ field, patterns }) => {
    const values = field(item);
    return values.some((value) => patterns.some((pattern) => pattern.test(value)));
  }));
}
