/** The workflows, agents and teams this project serves out of the box. */
import { contentCreationWorkflow, contentPlanner, financeAgent, hackernewsAgent, researchTeam } from './content-creation.ts';

export const workflows = [contentCreationWorkflow];

/** Served on their own too (`/agents`, `/teams`), as chats of many turns. */
export const agents = [hackernewsAgent, financeAgent, contentPlanner];
export const teams = [researchTeam];
