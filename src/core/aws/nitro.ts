/**
 * The EC2 serial console works only on Nitro-based instance types and bare metal.
 * The families below run on the Xen hypervisor; every other (current) family is Nitro.
 * A static list avoids a DescribeInstanceTypes call per row; the service still has the last word
 * (EC2InstanceTypeInvalidException) for anything this gets wrong.
 */
const xenFamilies = new Set([
  'c1', 'c3', 'c4', 'cc1', 'cc2', 'cg1', 'cr1', 'd2', 'f1', 'g2', 'g3', 'g3s', 'h1', 'hi1', 'hs1',
  'i2', 'i3', 'm1', 'm2', 'm3', 'm4', 'p2', 'p3', 'r3', 'r4', 't1', 't2', 'x1', 'x1e',
]);

/** Answers by instance type: an account has a few types and a listing asks once per instance. */
const answers = new Map<string, boolean>();

export function isSerialConsoleCapable(instanceType: string): boolean {
  let answer = answers.get(instanceType);
  if (answer === undefined) {
    answer = serialConsoleCapable(instanceType);
    if (answers.size < 1024) answers.set(instanceType, answer);
  }
  return answer;
}

function serialConsoleCapable(instanceType: string): boolean {
  const [family, size] = instanceType.split('.');
  if (!family) return false;
  // Bare-metal sizes of Xen-era families (i3.metal, …) do have a serial console.
  if (size === 'metal' || size?.startsWith('metal-')) return true;
  return !xenFamilies.has(family);
}
