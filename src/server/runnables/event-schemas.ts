/**
 * The events of an agent's or team's own run as its routes stream them (wire-events.ts), for the
 * OpenAPI document: the agent's and team's events without their workflow and step fields, and the
 * run's ends (`RunCancelled`, `TeamRunCancelled`). Named `Own<Event>` beside the workflow's.
 */
import { z } from 'zod';
import { AGENT_EVENTS, TEAM_EVENTS } from '../../contracts/event-names.ts';
import { int } from '../../contracts/wire-schemas/common.ts';
import { EVENT_SCHEMAS, LIVE_EVENT_SCHEMAS } from '../../contracts/wire-schemas/events.ts';
import { OwnMemberRunOutput } from '../../contracts/wire-schemas/run-output.ts';

const WORKFLOW_FIELDS = { workflow_id: true, workflow_name: true, workflow_run_id: true, step_id: true, step_name: true, step_index: true } as const;

/** A step's agent names its workflow's session and its run in session_state; an agent's own run leaves it empty, a team's leaves it out. */
const ownEnd = {
  session_state: z.object({ current_session_id: z.string().optional(), current_run_id: z.string().optional() }).optional(),
  member_responses: z.array(OwnMemberRunOutput).optional(),
};

const ended = (event: 'RunCancelled' | 'TeamRunCancelled', who: z.ZodRawShape) =>
  z.object({ event: z.literal(event), event_index: int, created_at: int, run_id: z.string(), session_id: z.string(), ...who, reason: z.string(), content: z.string() });

/** An event's schema without the workflow and step fields (each event's schema is an object of its fields). */
const withoutWorkflow = (schema: z.ZodType) => (schema as z.ZodObject).omit(WORKFLOW_FIELDS);

const log = Object.fromEntries(
  [...AGENT_EVENTS, ...TEAM_EVENTS].map((name) => {
    const own = withoutWorkflow(EVENT_SCHEMAS[name]);
    return [`Own${name}`, name === 'RunCompleted' || name === 'TeamRunCompleted' ? own.extend(ownEnd) : own];
  }),
);

export const OWN_EVENT_SCHEMAS: Record<string, z.ZodType> = {
  ...log,
  OwnRunCancelled: ended('RunCancelled', { agent_id: z.string(), agent_name: z.string() }),
  OwnTeamRunCancelled: ended('TeamRunCancelled', { team_id: z.string(), team_name: z.string() }),
  ...Object.fromEntries(Object.entries(LIVE_EVENT_SCHEMAS).map(([name, schema]) => [`Own${name}`, withoutWorkflow(schema)])),
};

/** A frame's data by its SSE event name (content events may be live text, and live text can be withdrawn). */
export const OWN_FRAME_DATA: Record<string, string | string[]> = {
  ...Object.fromEntries([...AGENT_EVENTS, ...TEAM_EVENTS].map((name) => [name, `Own${name}`])),
  RunContent: ['OwnRunContent', 'OwnLiveRunContent'],
  TeamRunContent: ['OwnTeamRunContent', 'OwnLiveTeamRunContent'],
  RunContentDiscarded: 'OwnRunContentDiscarded',
  TeamRunContentDiscarded: 'OwnTeamRunContentDiscarded',
  RunCancelled: 'OwnRunCancelled',
  TeamRunCancelled: 'OwnTeamRunCancelled',
  error: 'StreamError',
};
