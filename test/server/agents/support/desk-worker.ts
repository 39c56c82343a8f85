/** A worker process serving the desk agent alone (its tools wait for a person), for tests that kill it. */
import { AgentOS, serveUntilSignal } from '../../../../src/os/agent-os.ts';
import { desk } from './desk-agent.ts';

await serveUntilSignal(new AgentOS({ agents: [desk] }), 'worker');
process.exit(0);
