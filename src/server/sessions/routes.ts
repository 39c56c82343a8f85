/** The session routes (AgentOS's, for workflow sessions), in the order the OpenAPI document lists them. */
import { deleteSession } from './delete-session.ts';
import { deleteSessions } from './delete-sessions.ts';
import { getSession } from './get-session.ts';
import { listSessions } from './list-sessions.ts';
import { renameSession } from './rename-session.ts';
import { sessionRun } from './session-run.ts';
import { sessionRuns } from './session-runs.ts';

export const SESSION_ROUTES = [listSessions, deleteSessions, getSession, deleteSession, sessionRuns, sessionRun, renameSession];
