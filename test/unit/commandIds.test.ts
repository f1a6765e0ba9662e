import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { commands } from '../../src/editor/commands/registry';
import { commandIds } from '../../src/editor/services/commandIds';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
};

test('package.json, the command ids and the registry name the same commands, each once', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  const ids = Object.values(commandIds).sort();
  const registered = commands.map((c) => c.id).sort();
  assert.deepEqual(ids, contributed, 'commandIds lists every command package.json contributes, and no other');
  assert.deepEqual(registered, contributed, 'the registry runs every contributed command');
  assert.equal(new Set(registered).size, registered.length, 'no command is registered twice');
  for (const [name, id] of Object.entries(commandIds)) assert.equal(id, `ec2InstanceConnect.${name}`, 'a command is named after its id');
});

test('every menu entry in package.json runs a contributed command', () => {
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) assert.ok(contributed.has(entry.command), `${menu}: ${entry.command}`);
  }
});
