/** A worker process serving the stock chat agent alone, for tests that kill it. */
import { AgentOS, serveUntilSignal } from '../../../src/os/agent-os.ts';
import { stockChat } from './stock-chat.ts';

await serveUntilSignal(new AgentOS({ agents: [stockChat] }), 'worker');
process.exit(0);
