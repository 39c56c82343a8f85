/**
 * The end of a differential test: both servers' exchanges compared, the readable report written
 * (with both sides' raw exchanges beside it), and every difference the allowlist does not name a
 * failure. Returns the allowlist entries that matched nothing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { judge, report } from './allowlist.ts';
import type { Allowed } from './allowlist.ts';
import { compareExchanges } from './compare.ts';
import type { Wire } from './wire.ts';

export function assertOnlyAllowedDifferences(t: TestContext, agno: Wire, ours: Wire, allowlist: Allowed[], reportPath: string): Allowed[] {
  const { verdicts, unused } = judge(compareExchanges(agno.exchanges, ours.exchanges), allowlist);
  writeFileSync(reportPath, `${report(verdicts, unused)}\n`);
  writeFileSync(`${reportPath}.agno.json`, JSON.stringify(agno.exchanges, null, 1));
  writeFileSync(`${reportPath}.ours.json`, JSON.stringify(ours.exchanges, null, 1));
  const notAllowed = verdicts.filter((v) => !v.allowedBy);
  t.diagnostic(`report: ${reportPath} (${verdicts.length} differences, ${notAllowed.length} not allowed, ${unused.length} stale allowlist entries)`);
  assert.equal(notAllowed.length, 0, `differences from Agno that the allowlist does not name (full report: ${reportPath}):\n${report(notAllowed, [])}`);
  return unused;
}
