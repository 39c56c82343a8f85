/**
 * `npm start`: a Temporal dev server (unless TEMPORAL_ADDRESS is set), a worker and the API for
 * the app's workflows, in one command; Ctrl-C stops them all.
 */
import { agents, teams, workflows } from '../app/index.ts';
import { AgentOS, serveUntilSignal } from '../os/agent-os.ts';

await serveUntilSignal(new AgentOS({ workflows, agents, teams }));
process.exit(0);
