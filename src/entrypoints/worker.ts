/**
 * Worker process: executes runs of the app's workflows. Start as many as load needs; they share
 * the task queue (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE). Stops on SIGINT / SIGTERM.
 */
import { agents, teams, workflows } from '../app/index.ts';
import { AgentOS, serveUntilSignal } from '../os/agent-os.ts';

await serveUntilSignal(new AgentOS({ workflows, agents, teams }), 'worker');
process.exit(0);
