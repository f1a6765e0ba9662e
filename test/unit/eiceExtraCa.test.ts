import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rootCertificates } from 'node:tls';

import { extraCaTrust } from '../../src/core/eice/extraCa';

test("NODE_EXTRA_CA_CERTS made explicit: Node's roots plus the file's, built once; nothing when unset or unreadable", () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ec2ic-ca-')), 'proxy-ca.pem');
  const proxyCa = rootCertificates[0];
  writeFileSync(file, proxyCa);
  const trust = extraCaTrust({ NODE_EXTRA_CA_CERTS: file });
  assert.ok(trust);
  assert.equal(trust.ca.length, rootCertificates.length + 1);
  assert.equal(trust.ca.at(-1), proxyCa);
  assert.equal(extraCaTrust({ NODE_EXTRA_CA_CERTS: file }), trust, 'the secure context is made once');
  assert.equal(extraCaTrust({}), undefined);
  assert.equal(extraCaTrust({ NODE_EXTRA_CA_CERTS: join(file, 'missing.pem') }), undefined);
});
