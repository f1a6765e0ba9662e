// The benchmark suite's own plumbing (bench/): the statistics, the results table, and the probe process
// that runs our core for the session benchmarks. No timings are asserted: benchmarks are not tests.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { startProbe } from '../../bench/probeProcess';
import { resultsMarkdown, resultsTable, withResultsTable } from '../../bench/report';
import { figure, pairedFigure, quantile, summarize } from '../../bench/stats';

test('a series is summarized by its median, min and max; an even count takes the middle two', () => {
  assert.deepEqual(summarize([5, 1, 3]), { median: 3, min: 1, max: 5, runs: 3 });
  assert.deepEqual(summarize([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4, runs: 4 });
});

test('a figure against a peer carries the ratio ours / peer, and the table shows both with the target', () => {
  const f = figure('connect.vsOpenSSH', 'ms', [300, 310, 290], { name: 'OpenSSH', values: [250, 240, 260] });
  assert.equal(f.ratio, 300 / 250);
  f.target = { text: '≤ 1.25 × OpenSSH', met: true };
  const table = resultsTable([f, { ...figure('keys.rsa', 'ms', [1]), note: 'a | pipe' }]);
  assert.match(table, /\| connect\.vsOpenSSH \| 300 ms \(290–310, n=3\) \| OpenSSH: 250 ms \(240–260, n=3\) \| 1\.20× \| ✅ ≤ 1\.25 × OpenSSH \|/);
  assert.match(table, /\| keys\.rsa \| 1\.00 ms \| — \| — \| {2}\|/);
  const markdown = resultsMarkdown({
    date: '2026-11-25T07:00:00.000Z',
    commit: 'abc1234',
    machine: { cpu: 'Some CPU', cores: 2, ramGB: 24, node: 'v20.0.0', platform: 'linux x64', loadAverage: { start: 1, end: 2 } },
    figures: [{ ...f, note: 'a note' }],
  });
  assert.match(markdown, /on 2026-11-25 at commit abc1234/);
  assert.match(markdown, /Some CPU, 2 cores, 24 GB RAM, Node v20\.0\.0/);
  assert.match(markdown, /- \*\*connect\.vsOpenSSH\*\*: a note/);
});

test('a paired figure meets its target only when the median ratio and the worse quartile of the rounds do', () => {
  assert.equal(quantile([4, 1, 3, 2], 0.25), 1.75);
  const atLeast = { bound: 0.8, atLeast: true, text: '≥ 0.8 × OpenSSH' };
  const steady = pairedFigure('forward.downloadMBps', 'MB/s', [0.9, 0.85, 0.95, 0.9].map((r) => ({ ours: 100 * r, peer: 100 })), 'OpenSSH', atLeast);
  assert.equal(steady.target?.met, true);
  assert.deepEqual(steady.ratios, summarize([0.9, 0.85, 0.95, 0.9]));
  // The median ratio passes, but a quarter of the rounds fall well short: not met.
  const spread = pairedFigure('forward.downloadMBps', 'MB/s', [1.2, 0.9, 0.85, 0.4].map((r) => ({ ours: 100 * r, peer: 100 })), 'OpenSSH', atLeast);
  assert.ok((spread.ratio ?? 0) >= 0.8);
  assert.equal(spread.target?.met, false);
  // At most: the worse quartile is the upper one; the series can be every value rather than one per round.
  const latency = pairedFigure('forward.connectionMs', 'ms', [{ ours: 2, peer: 1 }, { ours: 1, peer: 1 }, { ours: 1, peer: 1 }], 'OpenSSH', { bound: 1.25, atLeast: false, text: '≤ 1.25 × OpenSSH' }, { ours: [1, 1, 1, 2, 2, 2], peer: [1, 1, 1, 1, 1, 1] });
  assert.equal(latency.ours.runs, 6);
  assert.equal(latency.target?.met, false);
  assert.match(resultsTable([steady]), /\| 0\.900× \(0\.850–0\.950\) \| ✅ ≥ 0\.8 × OpenSSH \|/);
});

test("README.md's Performance table is replaced between its markers, and nothing else is touched", () => {
  const results = {
    date: '2026-11-25T07:00:00.000Z',
    commit: 'abc1234',
    machine: { cpu: 'Some CPU', cores: 2, ramGB: 24, node: 'v20.0.0', platform: 'linux x64', loadAverage: { start: 1 } },
    figures: [figure('keys.ed25519', 'ms', [1, 2, 3])],
  };
  const readme = '# Title\n\n<!-- bench:start (npm run bench writes this table) -->\nold table\n<!-- bench:end -->\n\n## Next\n';
  const updated = withResultsTable(readme, results);
  assert.match(updated, /^# Title\n\n<!-- bench:start \(npm run bench writes this table\) -->\nMeasured on 2026-11-25 \(commit abc1234\)/);
  assert.match(updated, /\| keys\.ed25519 \| 2\.00 ms \(1\.00–3\.00, n=3\) \|/);
  assert.doesNotMatch(updated, /old table/);
  assert.match(updated, /\n<!-- bench:end -->\n\n## Next\n$/);
  assert.equal(withResultsTable('# no markers\n', results), '# no markers\n');
});

test('the probe process loads the built core and makes key pairs on request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ec2ic-bench-test-'));
  // An endpoint on loopback where nothing listens, and credentials in the environment: nothing leaves this machine.
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  delete env.AWS_PROFILE;
  const probe = startProbe(dir, env);
  try {
    const { ms } = await probe.request<{ ms: number[] }>({ op: 'keys', type: 'ed25519', runs: 2 });
    assert.equal(ms.length, 2);
    assert.ok(ms.every((value) => Number.isFinite(value) && value >= 0));
    // A failure comes back as a rejection, and the probe goes on answering.
    await assert.rejects(probe.request({ op: 'connect', target: { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', port: 1 } }), /probe connect:/);
    assert.equal((await probe.request<{ ms: number[] }>({ op: 'keys', type: 'rsa', runs: 1 })).ms.length, 1);
  } finally {
    await probe.exit();
    rmSync(dir, { recursive: true, force: true });
  }
});
