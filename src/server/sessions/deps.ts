/** What the session routes are given: the server's shared deps and the sessions themselves. */
import type { ServerDeps } from '../http/context.ts';
import type { SessionService } from './service.ts';

export type SessionDeps = ServerDeps & { sessions: SessionService };
