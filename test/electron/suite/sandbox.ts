/** What the in-editor suite knows of the sandbox the editor points at (written by the test process). */
import { readFileSync } from 'node:fs';

import type { SandboxManifest } from '../../../sandbox/index';

export function sandboxManifest(): SandboxManifest {
  const file = process.env.EC2IC_SANDBOX_MANIFEST;
  if (!file) throw new Error('EC2IC_SANDBOX_MANIFEST is not set: the suite needs the sandbox the editor points at');
  return JSON.parse(readFileSync(file, 'utf8')) as SandboxManifest;
}
