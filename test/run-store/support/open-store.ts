/**
 * A process that opens the run store its environment names (RUN_STORE, ...), and so runs its
 * migrations, then closes it: several at once are processes starting together on one store.
 */
import { openRunStore, runStoreConfigFromEnv } from '../../../src/run-store/config.ts';

const store = await openRunStore(runStoreConfigFromEnv());
await store.close();
console.log('opened');
