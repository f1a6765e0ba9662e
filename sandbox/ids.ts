// Identifiers in the formats AWS uses, so that code parsing or validating them sees the real thing.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

/** `i-` + 17 hex digits, the format EC2 has used since 2016. */
export function newInstanceId(): string {
  return `i-${randomHex(17)}`;
}

export function newRequestId(): string {
  return randomUUID();
}

/** A stable id for a resource that must look the same on every call (AMIs, VPCs): derived from its key. */
export function stableId(prefix: string, key: string, length = 17): string {
  return `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, length)}`;
}

const upperAlnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Credentials shaped like an IAM user's: `AKIA` + 16 characters, and a 40-character secret. */
export function newCredentials(): { accessKeyId: string; secretAccessKey: string } {
  const id = Array.from(randomBytes(16), (byte) => upperAlnum[byte % upperAlnum.length]).join('');
  const secret = randomBytes(30).toString('base64').replace(/\+/g, 'x').replace(/\//g, 'y');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: secret };
}

/** A small seeded generator, so a generated account of N instances is the same from run to run. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(0, 15).toString(16);
    return out;
  }
}
