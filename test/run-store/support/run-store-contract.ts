/**
 * What every run store must do, as one suite run against each implementation (see
 * sqlite-run-store.test.ts and postgres-run-store.test.ts). Each test has a store of its own;
 * a second store opened on the same location is another process's view of it.
 */
import { listingContract } from './listing-contract.ts';
import { logContract } from './log-contract.ts';
import { processContract } from './process-contract.ts';
import { queueContract } from './queue-contract.ts';
import type { RunStoreFixture } from './fixture.ts';

export type { RunStoreFixture } from './fixture.ts';

export function runStoreContract(fixture: RunStoreFixture): void {
  logContract(fixture);
  listingContract(fixture);
  queueContract(fixture);
  processContract(fixture);
}
