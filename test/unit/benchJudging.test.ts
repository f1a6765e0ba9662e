// How the benchmarks judge a target on a shared machine: the median and the spread of the runs, with ratios
// taken run by run against the peer beside each. No timings are asserted: benchmarks are not tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { resultsTable } from '../../bench/report';
import { atMost, pairedRatios, pairedRunsFigure, quantile, spread } from '../../bench/stats';

test('quantiles interpolate between the sorted values', () => {
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.equal(quantile([1, 2, 3, 4], 0.75), 3.25);
  assert.deepEqual(spread([3, 1, 2]), { median: 2, min: 1, max: 3, runs: 3, p25: 1.5, p75: 2.5 });
});

test('ratios are taken run by run, and series of different lengths are refused', () => {
  assert.deepEqual(pairedRatios([200, 300], [100, 100]), [2, 3]);
  assert.throws(() => pairedRatios([1, 2], [1]), /different lengths/);
});

test('a target is met only when the median and three runs in four are within it', () => {
  const show = (v: number) => `${v.toFixed(2)}×`;
  assert.equal(atMost([1.1, 1.2, 1.3, 1.4], 1.5, '≤ 1.5×', show).met, true);
  const flipping = atMost([1.1, 1.2, 1.3, 1.6, 1.7], 1.5, '≤ 1.5×', show);
  assert.equal(flipping.met, false);
  assert.match(flipping.text, /not shown: median 1\.30×, quartiles 1\.20×–1\.60× \(n=5\)/);
  const missed = atMost([1.6, 1.7, 1.8], 1.5, '≤ 1.5×', show);
  assert.equal(missed.met, false);
  assert.match(missed.text, /^≤ 1\.5×; missed: median 1\.70×/);
});

test('a paired figure shows the median of the per-run ratios and their quartiles', () => {
  const f = pairedRunsFigure('proxy.sshTrue', 'ms', [300, 330, 360], { name: 'OpenSSH', values: [200, 220, 200] });
  assert.equal(f.ratio, 1.5);
  assert.match(resultsTable([f]), /\| proxy\.sshTrue \| 330 ms \(300–360, n=3\) \| OpenSSH: 200 ms \(200–220, n=3\) \| 1\.50× \(quartiles 1\.50–1\.65\) \| {2}\|/);
});
