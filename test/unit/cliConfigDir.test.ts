import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cliConfigDir } from '../../src/cli/configDir';

test('the CLI keeps its files in the platform config directory', () => {
  assert.equal(cliConfigDir({}, 'linux', '/home/ana'), '/home/ana/.config/ec2ic');
  assert.equal(cliConfigDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ana'), '/xdg/ec2ic');
  assert.equal(cliConfigDir({ XDG_CONFIG_HOME: 'relative' }, 'darwin', '/Users/ana'), '/Users/ana/.config/ec2ic');
  assert.equal(cliConfigDir({ APPDATA: 'C:\\Users\\Ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\Ana'), 'C:\\Users\\Ana\\AppData\\Roaming\\ec2ic');
  assert.equal(cliConfigDir({}, 'win32', 'C:\\Users\\Ana'), 'C:\\Users\\Ana\\AppData\\Roaming\\ec2ic');
});
