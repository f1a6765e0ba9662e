import type { Ec2Instance } from '../../core/aws/model';

/**
 * The view's filter: every word typed must appear (case-insensitively) in the instance's name, id,
 * state, or one of its tag values. "web prod" keeps instances matching both words.
 */
export function parseFilter(text: string | undefined): string[] {
  return (text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesFilter(instance: Ec2Instance, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = [instance.name ?? '', instance.instanceId, instance.state, ...instance.tags.map((tag) => tag.value)].map((s) =>
    s.toLowerCase(),
  );
  return terms.every((term) => haystack.some((field) => field.includes(term)));
}
