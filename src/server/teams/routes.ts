/** AgentOS's `/teams` routes: each team served on its own, its runs those of a one-step plan (src/server/runnables/). */
import { TEAMS } from '../runnables/kinds.ts';
import { runnableRoutes } from '../runnables/routes.ts';

export const TEAM_ROUTES = runnableRoutes(TEAMS);
