/** AgentOS's `/agents` routes: each agent served on its own, its runs those of a one-step plan (src/server/runnables/). */
import { AGENTS } from '../runnables/kinds.ts';
import { runnableRoutes } from '../runnables/routes.ts';

export const AGENT_ROUTES = runnableRoutes(AGENTS);
