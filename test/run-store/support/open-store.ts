/**
 * A process that opens the run store its environment names (RUN_STORE, ...), and so runs its
 * migrations, then closes it. It says `ready` once loaded and opens on a line `go` on its stdin:
 * several told at once are processes starting together on one store.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { openRunStore, runStoreConfigFromEnv } from '../../../src/run-store/config.ts';

const lines = createInterface({ input: process.stdin });
console.log('ready');
await once(lines, 'line');
lines.close();
const store = await openRunStore(runStoreConfigFromEnv());
await store.close();
console.log('opened');
