/**
 * A user's own app on the cluster, started as users start theirs (examples/my-app.ts): the role
 * as argument, `node test/cluster/support/user-app/app.ts worker` or `... api`.
 */
import { AgentOS, serveUntilSignal } from '../../../../src/index.ts';
import { USER_WORKFLOWS } from './workflows.ts';

const role = process.argv[2];
// Never the default role (`all`): it would start an embedded Temporal dev server beside the cluster's.
if (role !== 'worker' && role !== 'api') throw new Error(`usage: node app.ts worker|api (got ${role})`);
await serveUntilSignal(new AgentOS({ workflows: USER_WORKFLOWS }), role);
process.exit(0);
