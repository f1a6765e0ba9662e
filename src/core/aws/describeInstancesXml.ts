import type { Instance } from '@aws-sdk/client-ec2';

/**
 * A lean reader for DescribeInstances' XML (EC2 Query protocol): it keeps only the fields the product
 * uses (those toEc2Instance reads) and skips the rest without building it. The SDK's own parser builds
 * every field of every instance char by char: about 240 µs of CPU per instance, 2.4 s for 10,000, which
 * made a large listing CPU-bound (bench/list.ts). Text follows the SDK parser's rules (entities, CDATA,
 * whitespace-only text with a line break = empty) so both readings agree; a test checks that they do.
 */

export interface DescribeInstancesPage {
  instances: Instance[];
  nextToken?: string;
}

/** Leaves read directly under an instance's `<item>`, by element name. */
const instanceFields: Record<string, (instance: Instance, text: string) => void> = {
  instanceId: (i, t) => (i.InstanceId = t),
  imageId: (i, t) => (i.ImageId = t),
  instanceType: (i, t) => (i.InstanceType = t as Instance['InstanceType']),
  launchTime: (i, t) => (i.LaunchTime = t ? new Date(t) : undefined),
  privateDnsName: (i, t) => (i.PrivateDnsName = t),
  dnsName: (i, t) => (i.PublicDnsName = t),
  privateIpAddress: (i, t) => (i.PrivateIpAddress = t),
  ipAddress: (i, t) => (i.PublicIpAddress = t),
  platform: (i, t) => (i.Platform = t as Instance['Platform']),
  platformDetails: (i, t) => (i.PlatformDetails = t),
  vpcId: (i, t) => (i.VpcId = t),
  subnetId: (i, t) => (i.SubnetId = t),
  ipv6Address: (i, t) => (i.Ipv6Address = t),
};

/** Elements inside an instance's `<item>` worth descending into, by depth below it (1 = its children). */
const containers = new Set(['instanceState', 'placement', 'tagSet', 'networkInterfaceSet', 'groupSet']);

function wanted(stack: readonly string[], rel: number, name: string): boolean {
  const parent = stack[stack.length - 1];
  switch (rel) {
    case 1:
      return Object.hasOwn(instanceFields, name) || containers.has(name);
    case 2:
      return (
        (parent === 'instanceState' && name === 'name') ||
        (parent === 'placement' && name === 'availabilityZone') ||
        ((parent === 'tagSet' || parent === 'networkInterfaceSet' || parent === 'groupSet') && name === 'item')
      );
    case 3:
      switch (stack[stack.length - 2]) {
        case 'tagSet':
          return name === 'key' || name === 'value';
        case 'groupSet':
          return name === 'groupId';
        default:
          return name === 'ipv6AddressesSet';
      }
    case 4:
      return name === 'item';
    case 5:
      return name === 'ipv6Address';
    default:
      return false;
  }
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|([a-zA-Z][a-zA-Z0-9]{0,30}));/g, (_, hex, dec, named) => {
    // fromCodePoint: characters beyond the BMP (emoji in a Name tag) are one entity, two UTF-16 units;
    // an invalid code point throws, and the page goes to the SDK's parser instead.
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(parseInt(dec, 10));
    return entities[named] ?? '';
  });
}

/**
 * The text as a string of its own. V8 makes a substring of a long string a view into it, so every field kept
 * from a page would keep the whole page (about 2 MB per 600 instances) alive for as long as the tree shows
 * the instance: 45 MB held for 10,000 instances, twice that during a Refresh (bench/list.ts). Slicing a
 * concatenation flattens it first, so the view is into a copy only a character longer than the text.
 */
function own(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}

/** Reads one page. Throws on XML it cannot follow (the caller then falls back to the SDK's reading). */
export function readDescribeInstancesPage(xml: string): DescribeInstancesPage {
  const page: DescribeInstancesPage = { instances: [] };
  const stack: string[] = [];
  /** Depth (stack length) of the current instance's `<item>`, or -1 outside one. */
  let instanceDepth = -1;
  let instance: Instance | undefined;
  let tag: { key?: string; value?: string } | undefined;
  let ipv6: string[] = [];
  let groups: string[] = [];
  let text = '';
  let leaf = false;
  let i = 0;
  const z = xml.length;

  const closeLeaf = (name: string, leafText: string) => {
    const value = own(leafText);
    const depth = stack.length; // the leaf is still on the stack
    if (instance) {
      const rel = depth - instanceDepth;
      if (rel === 1) {
        if (Object.hasOwn(instanceFields, name)) instanceFields[name](instance, value);
      }
      else if (rel === 2 && name === 'name' && stack[depth - 2] === 'instanceState') instance.State = { Name: value as never };
      else if (rel === 2 && name === 'availabilityZone' && stack[depth - 2] === 'placement') instance.Placement = { AvailabilityZone: value };
      else if (rel === 3 && tag && stack[depth - 3] === 'tagSet') {
        if (name === 'key') tag.key = value;
        else if (name === 'value') tag.value = value;
      } else if (rel === 3 && name === 'groupId' && stack[depth - 3] === 'groupSet') {
        groups.push(value);
      } else if (rel === 5 && name === 'ipv6Address' && stack[depth - 3] === 'ipv6AddressesSet' && stack[depth - 5] === 'networkInterfaceSet') {
        ipv6.push(value);
      }
    } else if (depth === 2 && name === 'nextToken') {
      page.nextToken = value;
    }
  };

  while (i < z) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) break;
    if (lt > i && leaf) text += xml.slice(i, lt);
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const name = stack[stack.length - 1];
      const gt = lt + 2 + (name?.length ?? 0);
      if (name === undefined || !xml.startsWith(name, lt + 2) || xml.charCodeAt(gt) !== 0x3e /* > */) {
        throw new Error('DescribeInstances XML: mismatched closing tag');
      }
      if (leaf) {
        const decoded = decode(text);
        closeLeaf(name, decoded.trim() === '' && decoded.includes('\n') ? '' : decoded);
      }
      if (instance && stack.length === instanceDepth) {
        if (ipv6.length) instance.NetworkInterfaces = [{ Ipv6Addresses: ipv6.map((a) => ({ Ipv6Address: a })) }];
        if (groups.length) instance.SecurityGroups = groups.map((id) => ({ GroupId: id }));
        page.instances.push(instance);
        instance = undefined;
        instanceDepth = -1;
      } else if (instance && tag && name === 'item' && stack.length === instanceDepth + 2 && stack[stack.length - 2] === 'tagSet') {
        (instance.Tags ??= []).push({ Key: tag.key ?? '', Value: tag.value ?? '' });
        tag = undefined;
      }
      stack.pop();
      leaf = false;
      i = gt + 1;
      continue;
    }
    if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt);
      if (end === -1) throw new Error('DescribeInstances XML: unterminated declaration');
      i = end + 2;
      continue;
    }
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt);
        if (end === -1) throw new Error('DescribeInstances XML: unterminated CDATA');
        // CDATA is taken as it is (no entity decoding): mark it so decode leaves it alone.
        if (leaf) text += xml.slice(lt + 9, end).replace(/&/g, '&amp;');
        i = end + 3;
      } else if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt);
        if (end === -1) throw new Error('DescribeInstances XML: unterminated comment');
        i = end + 3;
      } else {
        throw new Error('DescribeInstances XML: unexpected markup');
      }
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new Error('DescribeInstances XML: unterminated tag');
    const selfClosing = xml.charCodeAt(gt - 1) === 0x2f;
    let nameEnd = lt + 1;
    while (nameEnd < gt) {
      const c = xml.charCodeAt(nameEnd);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f) break;
      nameEnd++;
    }
    const name = xml.slice(lt + 1, nameEnd);
    if (instance && !selfClosing && !wanted(stack, stack.length + 1 - instanceDepth, name)) {
      // Jump over what the product does not read. A wrong jump (an element containing its own name)
      // ends in a mismatched closing tag, and the page is then left to the SDK's parser.
      const close = xml.indexOf(`</${name}>`, gt + 1);
      if (close === -1) throw new Error(`DescribeInstances XML: no </${name}>`);
      leaf = false;
      i = close + name.length + 3;
      continue;
    }
    stack.push(name);
    const depth = stack.length;
    if (!instance && name === 'item' && depth === 5 && stack[3] === 'instancesSet' && stack[1] === 'reservationSet') {
      instance = {};
      instanceDepth = depth;
      ipv6 = [];
      groups = [];
    } else if (instance && name === 'item' && depth === instanceDepth + 2 && stack[depth - 2] === 'tagSet') {
      tag = {};
    }
    if (selfClosing) {
      closeLeaf(name, '');
      if (instance && depth === instanceDepth) {
        page.instances.push(instance);
        instance = undefined;
        instanceDepth = -1;
      }
      stack.pop();
      leaf = false;
    } else {
      // Text counts only for elements without children: reset at every opening tag.
      leaf = true;
      text = '';
    }
    i = gt + 1;
  }
  if (stack.length !== 0) throw new Error('DescribeInstances XML: unexpected end');
  return page;
}
