import type { Instance } from '@aws-sdk/client-ec2';

import { closingTag, incomplete, instanceLeaves, InstanceText, knownChildAt, leafValue, sameName, StringPool } from './instanceXml';

/**
 * A lean reader for DescribeInstances' XML (EC2 Query protocol) that reads a page as it streams in: it keeps
 * only the fields the product uses (those toEc2Instance reads), jumps over the rest without building it, and
 * hands each instance over as soon as its closing tag is in. It never holds more of a page than the instance
 * it is reading: a page is about 2 MB per 600 instances, 35 MB for 10,000, which the whole-page reading held
 * at once (bench/list.ts). The SDK's own parser builds every field of every instance char by char: about
 * 240 µs of CPU per instance, 2.4 s for 10,000. Text follows the SDK parser's rules (entities, CDATA,
 * whitespace-only text with a line break = empty) so that both readings agree; a test checks that they do.
 * Each instance goes first to the fast path (instanceXml.ts), which reads EC2's own XML in about half the
 * time; an instance it does not take (comments, CDATA, attributes) is read here, element by element.
 */

export interface DescribeInstancesPage {
  instances: Instance[];
  nextToken?: string;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Returned by a step that needs text the reader has not been given yet: the element is read again from its start. */
const more = -1;

/**
 * Reads one page handed over in pieces (write), each returning the instances completed by it. It throws on
 * XML it cannot follow; the caller then has the page read by the SDK's parser instead.
 */
export class DescribeInstancesReader {
  private xml = '';
  private pos = 0;
  /** The elements open above the instances: the root, reservationSet, a reservation's item, its instancesSet. */
  private readonly open: string[] = [];
  private finished = false;
  private nextToken: string | undefined;
  /** Where the next `<ipv6AddressesSet` is in the text (-1: nowhere; -2: not looked for yet), so that it is looked for once per piece. */
  private ipv6SetAt = -2;
  /** The text as the fast path reads it (instanceXml.ts), made once per piece. */
  private text: InstanceText | undefined;
  /** The page's strings, each kept once (both paths read into it). */
  private readonly pool = new StringPool();
  /** The opening tag openTag() read: its name, whether it closes itself, and where it ends. */
  private tagName = '';
  private tagSelfClosing = false;
  private tagEnd = 0;
  /** Where the element that readLeaf() or readInstance() read ends. */
  private end = 0;

  /** The next piece of the page; returns the instances it completed. */
  write(text: string): Instance[] {
    if (this.finished) return [];
    const instances: Instance[] = [];
    if (this.pos < this.xml.length) {
      // The element the last piece ended in, read again from its start joined with as much of this piece as it
      // needs (twice as much each time it is not enough): the piece itself is then read as it is, rather than
      // copied whole into one string with it (a copy of the whole page, 35 MB for 10,000 instances).
      const rest = this.xml.slice(this.pos);
      for (let take = 4096; ; take *= 2) {
        if (take >= text.length) {
          this.use(rest + text, 0);
          break;
        }
        this.use(rest + text.slice(0, take), 0);
        this.readPage(instances, rest.length);
        if (this.finished) return instances;
        if (this.pos >= rest.length) {
          this.use(text, this.pos - rest.length);
          break;
        }
      }
    } else {
      this.use(text, 0);
    }
    this.readPage(instances);
    return instances;
  }

  /** Reads on in `xml` from `pos`. */
  private use(xml: string, pos: number): void {
    this.xml = xml;
    this.pos = pos;
    this.ipv6SetAt = -2;
    this.text = undefined;
  }

  /** After the last piece: the page's nextToken. Throws when the page ended early. */
  finish(): { nextToken?: string } {
    if (!this.finished) throw new Error('DescribeInstances XML: unexpected end');
    return { nextToken: this.nextToken };
  }

  /**
   * The levels above the instances; each instance goes to readInstance. Outer text is not read. Stops at the
   * end of the text, or once it has read up to `until`.
   */
  private readPage(out: Instance[], until = Infinity): void {
    const xml = this.xml;
    while (!this.finished && this.pos < until) {
      const lt = xml.indexOf('<', this.pos);
      if (lt === -1) {
        this.pos = xml.length;
        return;
      }
      const end = this.readOuter(lt, out);
      if (end === more) {
        this.pos = lt;
        return;
      }
      this.pos = end;
    }
  }

  private readOuter(lt: number, out: Instance[]): number {
    const xml = this.xml;
    const next = xml.charCodeAt(lt + 1);
    if (Number.isNaN(next)) return more;
    if (next === 0x2f /* / */) {
      const name = this.open[this.open.length - 1];
      if (name === undefined) throw new Error('DescribeInstances XML: mismatched closing tag');
      const end = this.closeTag(lt, name);
      if (end === more) return more;
      this.open.pop();
      if (this.open.length === 0) this.finished = true;
      return end;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) return this.skipSpecial(lt);
    if (!this.openTag(lt)) return more;
    const name = this.tagName;
    const depth = this.open.length;
    if (depth === 4 && name === 'item') {
      if (this.tagSelfClosing) {
        out.push({});
        return this.tagEnd;
      }
      this.text ??= new InstanceText(this.xml, this.pool);
      const fast: Instance = {};
      const end = this.text.readInstance(this.tagEnd, fast);
      if (end === incomplete) return more;
      if (end >= 0) {
        out.push(fast);
        return end;
      }
      const instance = this.readInstance();
      if (!instance) return more;
      out.push(instance);
      return this.end;
    }
    if (depth === 1 && name === 'nextToken') {
      const value = this.readLeaf(name);
      if (value === undefined) return more;
      if (value !== null) this.nextToken = value;
      return this.end;
    }
    if (depth === 0 || (depth === 1 && name === 'reservationSet') || (depth === 2 && name === 'item') || (depth === 3 && name === 'instancesSet')) {
      if (this.tagSelfClosing) {
        if (depth === 0) this.finished = true;
      } else {
        this.open.push(name);
      }
      return this.tagEnd;
    }
    return this.skipElement();
  }

  /**
   * One instance, from just after its `<item>`; undefined when its end is not in the text yet. Its children are
   * read in a loop of their own (no callback): this is where nearly all the time of a listing goes.
   */
  private readInstance(): Instance | undefined {
    const xml = this.xml;
    const instance: Instance = {};
    let p = this.tagEnd;
    for (;;) {
      const lt = xml.indexOf('<', p);
      if (lt === -1) return undefined;
      const next = xml.charCodeAt(lt + 1);
      if (Number.isNaN(next)) return undefined;
      if (next === 0x2f /* / */) {
        const end = this.closeTag(lt, 'item');
        if (end === more) return undefined;
        this.end = end;
        return instance;
      }
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        p = this.skipSpecial(lt);
      } else {
        p = this.readInstanceChild(instance, lt);
      }
      if (p === more) return undefined;
    }
  }

  /** The child of an instance whose opening tag is at lt: read when it is one of instanceChildren, else jumped over. */
  private readInstanceChild(instance: Instance, lt: number): number {
    const xml = this.xml;
    const gt = xml.indexOf('>', lt + 1);
    if (gt === -1) return more;
    const selfClosing = xml.charCodeAt(gt - 1) === 0x2f;
    // EC2 puts no attributes on these elements: the name is all there is between `<` and `>` (or `/>`).
    // Where that guess is wrong, the name is read properly below.
    const length = gt - lt - 1 - (selfClosing ? 1 : 0);
    let name = knownChildAt(xml, lt + 1, length);
    if (name === undefined) {
      if (selfClosing) return gt + 1;
      // A leaf (`<name>text</name>`, most of what is jumped over): its closing tag is the next tag.
      const close = xml.indexOf('<', gt + 1);
      if (close === -1) return more;
      if (xml.charCodeAt(close + 1) === 0x2f && xml.charCodeAt(close + 2 + length) === 0x3e && sameName(xml, lt + 1, close + 2, length)) return close + length + 3;
      if (close + length + 3 > xml.length) return more;
      if (!this.openTag(lt)) return more;
      name = knownChildAt(xml, lt + 1, this.tagName.length);
      if (name === undefined || name !== this.tagName) return this.skipElement();
    } else {
      this.tagName = name;
      this.tagSelfClosing = selfClosing;
      this.tagEnd = gt + 1;
    }
    const field = instanceLeaves.get(name);
    if (field) {
      const value = this.readLeaf(name);
      if (value === undefined) return more;
      if (value !== null) field(instance, value);
      return this.end;
    }
    switch (name) {
      case 'instanceState':
        return this.readOneLeaf(name, 'name', (value) => (instance.State = { Name: value as never }));
      case 'placement':
        return this.readOneLeaf(name, 'availabilityZone', (value) => (instance.Placement = { AvailabilityZone: value }));
      case 'tagSet':
        return this.readTags(instance);
      case 'groupSet': {
        const groups: string[] = [];
        const end = this.readItems(name, (item) => this.readOneLeaf(item, 'groupId', (value) => groups.push(value)));
        if (end !== more && groups.length) instance.SecurityGroups = groups.map((id) => ({ GroupId: id }));
        return end;
      }
      case 'networkInterfaceSet':
        return this.readInterfaceIpv6(instance);
      default:
        return this.skipElement();
    }
  }

  private readTags(instance: Instance): number {
    return this.readItems('tagSet', (item) => {
      let key: string | undefined;
      let value: string | undefined;
      const end = this.readChildren(item, (name) => {
        if (name !== 'key' && name !== 'value') return this.skipElement();
        const text = this.readLeaf(name);
        if (text === undefined) return more;
        if (text !== null) {
          if (name === 'key') key = text;
          else value = text;
        }
        return this.end;
      });
      if (end !== more) (instance.Tags ??= []).push({ Key: key ?? '', Value: value ?? '' });
      return end;
    });
  }

  /**
   * The IPv6 addresses of the instance's network interfaces, the only part of them the product reads: the
   * `ipv6AddressesSet` of each interface, looked for as such inside the set (EC2 has no other element of that
   * name in an interface), and the rest of the set jumped over.
   */
  private readInterfaceIpv6(instance: Instance): number {
    if (this.tagSelfClosing) return this.tagEnd;
    const xml = this.xml;
    const closing = '</networkInterfaceSet>';
    const close = xml.indexOf(closing, this.tagEnd);
    if (close === -1) return more;
    const addresses: string[] = [];
    for (;;) {
      if (this.ipv6SetAt === -2 || (this.ipv6SetAt !== -1 && this.ipv6SetAt < this.tagEnd)) this.ipv6SetAt = xml.indexOf('<ipv6AddressesSet', this.tagEnd);
      const at = this.ipv6SetAt;
      if (at === -1 || at > close) break;
      if (!this.openTag(at)) return more;
      if (this.tagName === 'ipv6AddressesSet') {
        if (this.readItems(this.tagName, (item) => this.readOneLeaf(item, 'ipv6Address', (value) => addresses.push(value))) === more) return more;
      }
      // Past this one: the next is looked for from its opening tag on.
      this.ipv6SetAt = xml.indexOf('<ipv6AddressesSet', this.tagEnd);
    }
    if (addresses.length) instance.NetworkInterfaces = [{ Ipv6Addresses: addresses.map((a) => ({ Ipv6Address: a })) }];
    return close + closing.length;
  }

  /** The children of the element whose opening tag was just read, each `<item>` to `onItem`; others jumped over. */
  private readItems(parent: string, onItem: (name: string) => number): number {
    return this.readChildren(parent, (name) => (name === 'item' ? (this.tagSelfClosing ? this.tagEnd : onItem(name)) : this.skipElement()));
  }

  /** The element just opened, of which only the leaf `leaf` is read (the last one, if there are several). */
  private readOneLeaf(parent: string, leaf: string, onValue: (value: string) => void): number {
    return this.readChildren(parent, (name) => {
      if (name !== leaf) return this.skipElement();
      const value = this.readLeaf(name);
      if (value === undefined) return more;
      if (value !== null) onValue(value);
      return this.end;
    });
  }

  /**
   * The children of the element whose opening tag was just read: each opening tag read (openTag), then handed
   * to `onChild`, which reads or jumps over the child and says where it ends. Returns where the parent ends.
   */
  private readChildren(parent: string, onChild: (name: string) => number): number {
    if (this.tagSelfClosing) return this.tagEnd;
    const xml = this.xml;
    let p = this.tagEnd;
    for (;;) {
      const lt = xml.indexOf('<', p);
      if (lt === -1) return more;
      const next = xml.charCodeAt(lt + 1);
      if (Number.isNaN(next)) return more;
      if (next === 0x2f /* / */) return this.closeTag(lt, parent);
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        p = this.skipSpecial(lt);
      } else {
        if (!this.openTag(lt)) return more;
        p = onChild(this.tagName);
      }
      if (p === more) return more;
    }
  }

  /**
   * The text of the element whose opening tag was just read, its end in this.end: a string for a leaf, null for
   * an element with children (whose text does not count), undefined when its end is not in the text yet.
   */
  private readLeaf(name: string): string | null | undefined {
    const xml = this.xml;
    const start = this.tagEnd;
    if (this.tagSelfClosing) {
      this.end = start;
      return '';
    }
    const close = closingTag(name);
    const lt = xml.indexOf('<', start);
    if (lt === -1) return undefined;
    if (xml.startsWith(close, lt)) {
      this.end = lt + close.length;
      return leafValue(xml.slice(start, lt), this.pool);
    }
    // Comments, CDATA, child elements: piece by piece.
    let text = '';
    let leaf = true;
    let p = start;
    for (;;) {
      const at = xml.indexOf('<', p);
      if (at === -1) return undefined;
      if (leaf) text += xml.slice(p, at);
      const next = xml.charCodeAt(at + 1);
      if (Number.isNaN(next)) return undefined;
      if (next === 0x2f /* / */) {
        const end = this.closeTag(at, name);
        if (end === more) return undefined;
        this.end = end;
        return leaf ? leafValue(text, this.pool) : null;
      }
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        p = this.skipSpecial(at);
        if (p === more) return undefined;
        // CDATA is taken as it is (no entity decoding): marked so that decode leaves it alone.
        if (leaf && xml.startsWith('<![CDATA[', at)) text += xml.slice(at + 9, p - 3).replace(/&/g, '&amp;');
        continue;
      }
      if (!this.openTag(at)) return undefined;
      p = this.skipElement();
      if (p === more) return undefined;
      leaf = false;
    }
  }

  /** Reads the opening tag at lt into tagName, tagSelfClosing and tagEnd; false when its `>` is not in the text yet. */
  private openTag(lt: number): boolean {
    const xml = this.xml;
    const gt = xml.indexOf('>', lt + 1);
    if (gt === -1) return false;
    let nameEnd = lt + 1;
    while (nameEnd < gt) {
      const c = xml.charCodeAt(nameEnd);
      if (isSpace(c) || c === 0x2f) break;
      nameEnd++;
    }
    this.tagName = xml.slice(lt + 1, nameEnd);
    this.tagSelfClosing = xml.charCodeAt(gt - 1) === 0x2f;
    this.tagEnd = gt + 1;
    return true;
  }

  /**
   * Jumps over the element whose opening tag was just read, to its closing tag. A wrong jump (an element
   * containing one of its own name) ends in a mismatched closing tag, and the page goes to the SDK's parser.
   */
  private skipElement(): number {
    if (this.tagSelfClosing) return this.tagEnd;
    const close = closingTag(this.tagName);
    const at = this.xml.indexOf(close, this.tagEnd);
    return at === -1 ? more : at + close.length;
  }

  /** The end of the closing tag `</name>` at lt. */
  private closeTag(lt: number, name: string): number {
    const xml = this.xml;
    const gt = lt + 2 + name.length;
    if (gt >= xml.length) return more;
    if (!xml.startsWith(name, lt + 2) || xml.charCodeAt(gt) !== 0x3e /* > */) throw new Error('DescribeInstances XML: mismatched closing tag');
    return gt + 1;
  }

  /** The end of the comment, CDATA section or declaration at lt. */
  private skipSpecial(lt: number): number {
    const xml = this.xml;
    const until = (terminator: string, from: number) => {
      const end = xml.indexOf(terminator, from);
      return end === -1 ? more : end + terminator.length;
    };
    if (xml.charCodeAt(lt + 1) === 0x3f /* ? */) return until('?>', lt + 2);
    if (xml.startsWith('<!--', lt)) return until('-->', lt + 4);
    if (xml.startsWith('<![CDATA[', lt)) return until(']]>', lt + 9);
    if (xml.length - lt < 9) return more;
    throw new Error('DescribeInstances XML: unexpected markup');
  }
}

/** Reads a whole page. Throws on XML it cannot follow (the caller then falls back to the SDK's reading). */
export function readDescribeInstancesPage(xml: string): DescribeInstancesPage {
  const reader = new DescribeInstancesReader();
  const instances = reader.write(xml);
  return { instances, ...reader.finish() };
}
