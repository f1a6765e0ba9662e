import type { Instance } from '@aws-sdk/client-ec2';

/**
 * The fast path of the lean DescribeInstances reader (describeInstancesXml.ts): one instance's `<item>`, read
 * in one loop over its direct children with native string searches and no string made for a child it does
 * not read. It takes the XML EC2 writes (no attributes, comments, CDATA or processing instructions inside an
 * instance) and says `unusual` at anything else, which the careful reader then takes on. A listing of 10,000
 * instances is 35 MB of XML, so this loop is where a first open spends its CPU (bench/list.ts).
 */

/** The instance's end is not in the text yet: read it again, from its start, once there is more. */
export const incomplete = -1;
/** Markup this reader does not take: the careful reader reads the instance instead. */
export const unusual = -2;

const slash = 0x2f;
const bang = 0x21;
const question = 0x3f;

type Setter = (instance: Instance, text: string) => void;

/** Leaves read directly under an instance's `<item>`, by element name. */
export const instanceLeaves = new Map<string, Setter>([
  ['instanceId', (i, t) => (i.InstanceId = t)],
  ['imageId', (i, t) => (i.ImageId = t)],
  ['instanceType', (i, t) => (i.InstanceType = t as Instance['InstanceType'])],
  ['launchTime', (i, t) => (i.LaunchTime = t ? new Date(t) : undefined)],
  ['privateDnsName', (i, t) => (i.PrivateDnsName = t)],
  ['dnsName', (i, t) => (i.PublicDnsName = t)],
  ['privateIpAddress', (i, t) => (i.PrivateIpAddress = t)],
  ['ipAddress', (i, t) => (i.PublicIpAddress = t)],
  ['platform', (i, t) => (i.Platform = t as Instance['Platform'])],
  ['platformDetails', (i, t) => (i.PlatformDetails = t)],
  ['vpcId', (i, t) => (i.VpcId = t)],
  ['subnetId', (i, t) => (i.SubnetId = t)],
  ['ipv6Address', (i, t) => (i.Ipv6Address = t)],
]);

/** Leaves whose values each instance has its own of: looked up in the page's StringPool for nothing. */
const uniqueLeaves = new Set(['instanceId', 'launchTime', 'privateDnsName', 'dnsName', 'privateIpAddress', 'ipAddress', 'ipv6Address']);

/** The containers under an instance that the product reads from. */
export const instanceContainers = ['instanceState', 'placement', 'tagSet', 'groupSet', 'networkInterfaceSet'] as const;
type Container = (typeof instanceContainers)[number];

/**
 * The names above by length and first character (index length × 128 + code): most children are none of them.
 * Filled in full, so that V8 keeps it a plain array rather than a dictionary of its few entries.
 */
const namesByShape: (string[] | undefined)[] = new Array<string[] | undefined>(64 * 128).fill(undefined);
for (const name of [...instanceLeaves.keys(), ...instanceContainers]) (namesByShape[name.length * 128 + name.charCodeAt(0)] ??= []).push(name);

/** The name of a child the product reads at `at`, `length` characters long, if it is one. */
export function knownChildAt(xml: string, at: number, length: number): string | undefined {
  const candidates = length < 64 ? namesByShape[length * 128 + (xml.charCodeAt(at) & 0x7f)] : undefined;
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) if (xml.startsWith(candidate, at)) return candidate;
  return undefined;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Entities decoded as the SDK's parser decodes them (code points beyond the BMP whole; an invalid one throws). */
export function decodeEntities(text: string): string {
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
 * from a chunk of the page would keep the whole chunk alive for as long as the tree shows the instance: the
 * whole listing's text, held by its fields. Slicing a concatenation flattens it first, so the view is into a
 * copy only a character longer than the text.
 */
function own(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}

/**
 * The strings read from one page, each kept once. The instances of an account share most of their values (types,
 * zones, images, subnets, security groups, tag keys and values), and a page holds up to a thousand instances:
 * kept once, the first one read is made a string of its own (own()) and the others are that one, so the view
 * holds about a third less for its instances, and a repeated value costs a lookup instead of a copy.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(private readonly limit = 50_000) {}

  get(text: string): string {
    let kept = this.strings.get(text);
    if (kept === undefined) {
      kept = own(text);
      if (this.strings.size < this.limit) this.strings.set(kept, kept);
    }
    return kept;
  }
}

/** A leaf's text as the SDK parser reads it: entities decoded; whitespace alone, with a line break in it, is empty. */
export function leafValue(raw: string, pool?: StringPool): string {
  const text = decodeEntities(raw);
  if (text.trim() === '' && text.includes('\n')) return '';
  return pool ? pool.get(text) : own(text);
}

const closingTags = new Map<string, string>();

/** `</name>`, made once per name (for the first thousand names: EC2's vocabulary is a few dozen). */
export function closingTag(name: string): string {
  let tag = closingTags.get(name);
  if (tag === undefined) {
    tag = `</${name}>`;
    if (closingTags.size < 1000) closingTags.set(name, tag);
  }
  return tag;
}

/** Whether the `length` characters at a and at b are the same. */
export function sameName(xml: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (xml.charCodeAt(a + i) !== xml.charCodeAt(b + i)) return false;
  return true;
}

/**
 * The text of the leaf `<name>` (or `<name/>`) first found in [from, to), undefined when there is none, or
 * `unusual` when its text is not plain.
 */
function leafIn(xml: string, open: string, empty: string, from: number, to: number, pool: StringPool): string | undefined | typeof unusual {
  const at = xml.indexOf(open, from);
  if (at === -1 || at >= to) {
    // Rare (EC2 writes the leaf): looked for in the range's own text (a view), so the search stops at its end.
    return xml.slice(from, to).includes(empty) ? '' : undefined;
  }
  const start = at + open.length;
  const end = xml.indexOf('<', start);
  if (end === -1 || end >= to || xml.charCodeAt(end + 1) !== slash) return unusual;
  return leafValue(xml.slice(start, end), pool);
}

/** Every leaf `<name>` in [from, to), in order; false when one's text is not plain. */
function eachLeafIn(xml: string, open: string, from: number, to: number, pool: StringPool, onValue: (value: string) => void): boolean {
  let p = from;
  for (;;) {
    const at = xml.indexOf(open, p);
    if (at === -1 || at >= to) return true;
    const start = at + open.length;
    const end = xml.indexOf('<', start);
    if (end === -1 || end >= to || xml.charCodeAt(end + 1) !== slash) return false;
    onValue(leafValue(xml.slice(start, end), pool));
    p = end;
  }
}

/** Reads what the product uses of a container whose content is [from, to); false when it is not plain. */
function readContainer(name: Container, xml: string, from: number, to: number, instance: Instance, pool: StringPool): boolean {
  switch (name) {
    case 'instanceState': {
      const state = leafIn(xml, '<name>', '<name/>', from, to, pool);
      if (state === unusual) return false;
      if (state !== undefined) instance.State = { Name: state as never };
      return true;
    }
    case 'placement': {
      const zone = leafIn(xml, '<availabilityZone>', '<availabilityZone/>', from, to, pool);
      if (zone === unusual) return false;
      if (zone !== undefined) instance.Placement = { AvailabilityZone: zone };
      return true;
    }
    case 'groupSet': {
      const groups: { GroupId: string }[] = [];
      if (!eachLeafIn(xml, '<groupId>', from, to, pool, (id) => groups.push({ GroupId: id }))) return false;
      if (groups.length) instance.SecurityGroups = groups;
      return true;
    }
    case 'tagSet':
      return readTags(xml, from, to, instance, pool);
    case 'networkInterfaceSet':
      return readInterfaceIpv6(xml, from, to, instance, pool);
  }
}

/** Each `<item>` of a tag set, its key and value. */
function readTags(xml: string, from: number, to: number, instance: Instance, pool: StringPool): boolean {
  let p = from;
  for (;;) {
    const item = xml.indexOf('<item>', p);
    if (item === -1 || item >= to) return true;
    const end = xml.indexOf('</item>', item);
    if (end === -1 || end >= to) return false;
    const key = leafIn(xml, '<key>', '<key/>', item, end, pool);
    const value = leafIn(xml, '<value>', '<value/>', item, end, pool);
    if (key === unusual || value === unusual) return false;
    (instance.Tags ??= []).push({ Key: key ?? '', Value: value ?? '' });
    p = end + 7;
  }
}

/**
 * The IPv6 addresses of the instance's network interfaces: each interface's `ipv6AddressesSet`, the rest not
 * read. Looked for in the set's own text (a view, not a copy), so that a search for one that is not there
 * stops at the set's end.
 */
function readInterfaceIpv6(xml: string, from: number, to: number, instance: Instance, pool: StringPool): boolean {
  const set = xml.slice(from, to);
  const addresses: { Ipv6Address: string }[] = [];
  let p = 0;
  for (;;) {
    const start = set.indexOf('<ipv6AddressesSet>', p);
    if (start === -1) break;
    const end = set.indexOf('</ipv6AddressesSet>', start);
    if (end === -1) return false;
    if (!eachLeafIn(set, '<ipv6Address>', start, end, pool, (address) => addresses.push({ Ipv6Address: address }))) return false;
    p = end;
  }
  if (addresses.length) instance.NetworkInterfaces = [{ Ipv6Addresses: addresses }];
  return true;
}

/**
 * One piece of a page's text, from which instances are read. It remembers where the next `<!` (a comment or
 * CDATA, which EC2 does not write) is: looking for one in each instance would search the rest of the piece
 * once per instance.
 */
export class InstanceText {
  private markupAt = -2;

  constructor(
    readonly xml: string,
    private readonly pool = new StringPool(),
  ) {}

  /** Whether [from, to) holds a comment or CDATA, which the containers' readers do not take. */
  markupIn(from: number, to: number): boolean {
    if (this.markupAt === -2 || (this.markupAt !== -1 && this.markupAt < from)) this.markupAt = this.nextMarkup(from);
    return this.markupAt !== -1 && this.markupAt < to;
  }

  /** The next `<!` at or after `from`, found by its `!` (rare in EC2's XML, and a single character is searched for ten times faster). */
  private nextMarkup(from: number): number {
    let at = from;
    for (;;) {
      at = this.xml.indexOf('!', at + 1);
      if (at === -1 || this.xml.charCodeAt(at - 1) === 0x3c) return at === -1 ? -1 : at - 1;
    }
  }

  /**
   * Reads the instance whose `<item>` content starts at `from` into `instance`. Returns where its `</item>`
   * ends, `incomplete` when that is beyond the text, or `unusual`.
   */
  readInstance(from: number, instance: Instance): number {
    const xml = this.xml;
    const length = xml.length;
    let p = from;
    for (;;) {
      const lt = xml.indexOf('<', p);
      if (lt === -1 || lt + 1 >= length) return incomplete;
      const next = xml.charCodeAt(lt + 1);
      if (next === slash) {
        if (lt + 7 > length) return incomplete;
        return xml.startsWith('item>', lt + 2) ? lt + 7 : unusual;
      }
      if (next === bang || next === question) return unusual;
      const gt = xml.indexOf('>', lt + 2);
      if (gt === -1) return incomplete;
      const selfClosing = xml.charCodeAt(gt - 1) === slash;
      // EC2 puts no attributes on these elements: the name is all there is between `<` and `>` (or `/>`).
      const nameLength = gt - lt - 1 - (selfClosing ? 1 : 0);
      const name = knownChildAt(xml, lt + 1, nameLength);
      if (selfClosing) {
        if (name !== undefined) instanceLeaves.get(name)?.(instance, '');
        p = gt + 1;
        continue;
      }
      const after = xml.indexOf('<', gt + 1);
      if (after === -1 || after + 1 >= length) return incomplete;
      const afterNext = xml.charCodeAt(after + 1);
      if (afterNext === bang || afterNext === question) return unusual;
      if (afterNext === slash) {
        // A leaf, `<name>text</name>` (most of what is not read): its closing tag is the next tag.
        const end = after + nameLength + 3;
        if (end > length) return incomplete;
        // Its name is checked by its length (its `>` is the first after it) and its first and last characters:
        // a whole comparison of every closing tag was a fifth of this loop's time, for XML EC2 writes well formed.
        if (xml.charCodeAt(after + 2) !== xml.charCodeAt(lt + 1) || xml.charCodeAt(end - 2) !== xml.charCodeAt(gt - 1) || xml.indexOf('>', after) !== end - 1) return unusual;
        if (name !== undefined) instanceLeaves.get(name)?.(instance, leafValue(xml.slice(gt + 1, after), uniqueLeaves.has(name) ? undefined : this.pool));
        p = end;
        continue;
      }
      // An element with children, jumped over to its closing tag. One that holds an element of its own name
      // ends the jump early, at a closing tag that is not the instance's: `unusual`, and the careful reader
      // then finds the XML mismatched.
      const tagName = name ?? xml.slice(lt + 1, lt + 1 + nameLength);
      if (name === undefined && /[\s/]/.test(tagName)) return unusual;
      const close = closingTag(tagName);
      const closeAt = xml.indexOf(close, gt + 1);
      if (closeAt === -1) return incomplete;
      if (name !== undefined && (instanceLeaves.has(name) || this.markupIn(gt + 1, closeAt) || !readContainer(name as Container, xml, gt + 1, closeAt, instance, this.pool))) return unusual;
      p = closeAt + close.length;
    }
  }
}
