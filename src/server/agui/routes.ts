/** AG-UI's route: run (or take up, or answer) a workflow, agent or team for AG-UI's clients. */
import { runAgent } from './run-agent.ts';

export const AGUI_ROUTES = [runAgent];
