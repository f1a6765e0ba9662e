import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

import { readTextIfExists, writeFileAtomic } from '../core/base/atomicFile';
import { withFileLock } from '../core/base/fileLock';
import type { KeyValueStore } from '../core/base/store';

/**
 * The CLI's KeyValueStore (trusted host keys, chosen OS users): a JSON file in its config directory,
 * readable by the user only. Each update reads the file again and writes it back under a lock file, so that
 * ec2ic processes connecting at once (parallel first connects) do not undo each other's entries.
 */
export class JsonFileStore implements KeyValueStore {
  private constructor(
    private readonly path: string,
    private values: Record<string, unknown>,
  ) {}

  static async open(path: string): Promise<JsonFileStore> {
    return new JsonFileStore(path, await read(path));
  }

  get<T>(key: string): T | undefined {
    return this.values[key] as T | undefined;
  }

  async update(key: string, value: unknown): Promise<void> {
    await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    this.values = await withFileLock(this.path, async () => {
      const values = await read(this.path);
      if (value === undefined) delete values[key];
      else values[key] = value;
      await writeFileAtomic(this.path, `${JSON.stringify(values, null, 2)}\n`, 0o600);
      return values;
    });
  }
}

async function read(path: string): Promise<Record<string, unknown>> {
  const text = await readTextIfExists(path);
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Fall through: the message below says what to do.
  }
  throw new Error(`${path} is not a JSON object. Fix or delete it (it holds trusted host keys and chosen OS users).`);
}
