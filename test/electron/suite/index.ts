/**
 * The in-editor suite: runs inside a real editor's extension host, against the real `vscode` API.
 * Entry points: run() for @vscode/test-electron's extensionTestsPath; runAndReport() for the
 * code-server harness extension (test/electron/harness), which writes the results for the test process.
 */
import './activation.suite';
import './explorer.suite';
import './connect.suite';

import { runRegistered, type TestResult } from '../runner';

export async function runAndReport(): Promise<TestResult[]> {
  return runRegistered((line) => console.log(line));
}

export async function run(): Promise<void> {
  const results = await runAndReport();
  const failed = results.filter((r) => !r.ok);
  console.log(`${results.length - failed.length}/${results.length} in-editor tests passed`);
  if (failed.length) throw new Error(`${failed.length} in-editor test(s) failed: ${failed.map((f) => f.name).join(', ')}`);
}
