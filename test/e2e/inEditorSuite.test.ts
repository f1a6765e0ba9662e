/**
 * The in-editor suite (test/electron/suite), the one @vscode/test-electron runs where VS Code desktop can
 * be downloaded, run here inside code-server's extension host: a harness extension runs it when the
 * editor starts and writes the results to a file this test reads.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { buildSuite, packageHarness } from '../electron/buildSuite';
import type { TestResult } from '../electron/runner';
import { type EditorSession, startEditorSession } from './fixture';

describe('the in-editor suite inside code-server', { timeout: 300_000 }, () => {
  let session: EditorSession | undefined;
  let outcome: { results?: TestResult[]; error?: string } = {};
  const resultsFile = join(tmpdir(), `ec2ic-suite-${process.pid}.json`);
  const manifestFile = join(tmpdir(), `ec2ic-suite-manifest-${process.pid}.json`);

  before(async () => {
    rmSync(resultsFile, { force: true });
    const suite = buildSuite();
    session = await startEditorSession('in-editor-suite', {
      extraExtensions: [packageHarness()],
      env: { EC2IC_SUITE: suite, EC2IC_SUITE_RESULTS: resultsFile, EC2IC_SANDBOX_MANIFEST: manifestFile },
    });
    writeFileSync(manifestFile, JSON.stringify(session.sandbox.manifest));
    // The extension host starts when the browser connects; the harness runs the suite once it is up.
    const deadline = Date.now() + 240_000;
    while (!existsSync(resultsFile)) {
      if (Date.now() > deadline) throw new Error(`the harness wrote no results; code-server said:\n${session.editor.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    outcome = JSON.parse(readFileSync(resultsFile, 'utf8')) as typeof outcome;
    await session.screenshot('in-editor-suite');
  });

  after(async () => {
    await session?.stop();
    rmSync(resultsFile, { force: true });
    rmSync(manifestFile, { force: true });
  });

  test('the suite ran and every in-editor test passed', () => {
    assert.equal(outcome.error, undefined, outcome.error);
    const results = outcome.results ?? [];
    assert.ok(results.length > 0, 'the suite ran no tests');
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`);
    assert.deepEqual(failed, [], failed.join('\n\n'));
    for (const result of results) console.log(`  in editor: ✔ ${result.name} (${result.ms} ms)`);
  });
});
