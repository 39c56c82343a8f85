/**
 * API process: the HTTP API for the app's workflows on PORT (default 7777). Runs execute on
 * workers; start as many API processes as load needs. Stops on SIGINT / SIGTERM.
 */
import { agents, teams, workflows } from '../app/index.ts';
import { AgentOS, serveUntilSignal } from '../os/agent-os.ts';

await serveUntilSignal(new AgentOS({ workflows, agents, teams }), 'api');
process.exit(0);
