/** The API process of the big-read benchmark: the real API, serving its workflows (see ./workflows.ts). */
import { AgentOS, serveUntilSignal } from '../../src/os/agent-os.ts';
import { bigReadWorkflows } from './workflows.ts';

await serveUntilSignal(new AgentOS({ workflows: bigReadWorkflows }), 'api');
process.exit(0);
