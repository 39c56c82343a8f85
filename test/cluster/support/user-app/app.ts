/**
 * A user's own app on the cluster, started as users start theirs (examples/my-app.ts): the role
 * as argument, `node test/cluster/support/user-app/app.ts worker` or `... api`.
 */
import { AgentOS, serveUntilSignal } from '../../../../src/index.ts';
import type { Role } from '../../../../src/index.ts';
import { USER_WORKFLOWS } from './workflows.ts';

await serveUntilSignal(new AgentOS({ workflows: USER_WORKFLOWS }), process.argv[2] as Role);
process.exit(0);
