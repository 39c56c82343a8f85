/**
 * The named schemas of the OpenAPI document (`#/components/schemas`): requests on their input
 * side, answers and events on their output side, each generated once from the zod schema that
 * validates or types it; shared ones become `$ref`s. The SSE frames of a run's stream are
 * described here too, event by event.
 */
import { z } from 'zod';
import { EVENT_NAMES } from '../../contracts/events.ts';
import * as runs from '../runs/schemas.ts';
import * as sessions from '../sessions/schemas.ts';
import { ErrorBody } from '../wire/common.ts';
import { EVENT_SCHEMAS, LIVE_EVENT_SCHEMAS, StreamError } from '../wire/events.ts';
import { ExecutorRunOutput, RunMessage, RunMetrics, StepRequirement, StepResult, TokenMetrics, ToolExecution } from '../wire/run-parts.ts';
import { RunOutput, RunSummary } from '../wire/run-output.ts';
import { WorkflowSessionRun } from '../wire/workflow-run.ts';
import * as workflows from '../workflows/schemas.ts';
import { ref } from './parts.ts';
import type { Json } from './parts.ts';

/** Named schemas in `#/components/schemas`, each generated once; shared ones become `$ref`s. */
export function componentSchemas(): Record<string, Json> {
  const generate = (io: 'input' | 'output', named: Record<string, z.ZodType>) => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
    const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
    return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema as Json]));
  };
  const requests = generate('input', { RunRequest: runs.RunRequest, ContinueRequest: runs.ContinueRequest, ResumeRequest: runs.ResumeRequest, RenameSessionRequest: sessions.RenameSessionRequest, DeleteSessionsRequest: sessions.DeleteSessionsRequest });
  const responses = generate('output', {
    Error: ErrorBody,
    Health: workflows.Health,
    OsConfig: workflows.OsConfig,
    StartedRun: runs.StartedRun,
    RetriedRun: runs.RetriedRun,
    WorkflowRunOutput: RunOutput,
    RunSummary,
    WorkflowSummary: workflows.WorkflowSummary,
    WorkflowDetail: workflows.WorkflowDetail,
    WorkflowStep: workflows.WorkflowStep,
    StepResult,
    ExecutorRunOutput,
    RunMessage,
    StepRequirement,
    RunMetrics,
    TokenMetrics,
    ToolExecution,
    // Named as AgentOS names them.
    SessionSchema: sessions.SessionSummary,
    SessionsPage: sessions.SessionsPage,
    WorkflowSessionDetailSchema: sessions.WorkflowSessionDetail,
    WorkflowRunSchema: WorkflowSessionRun,
    ...EVENT_SCHEMAS,
    ...LIVE_EVENT_SCHEMAS,
    StreamError,
  });
  // A frame's data by its SSE event name: content events may be live text too, and live text can be withdrawn.
  const frameData: Record<string, Json> = {
    ...Object.fromEntries(EVENT_NAMES.map((name) => [name, ref(name)])),
    RunContent: { oneOf: [ref('RunContent'), ref('LiveRunContent')] },
    TeamRunContent: { oneOf: [ref('TeamRunContent'), ref('LiveTeamRunContent')] },
    RunContentDiscarded: ref('RunContentDiscarded'),
    TeamRunContentDiscarded: ref('TeamRunContentDiscarded'),
    error: ref('StreamError'),
  };
  return {
    ...requests,
    ...responses,
    RunEvent: {
      description: 'One event of a run (an SSE frame’s data); `event` tells which, and which fields it has.',
      oneOf: EVENT_NAMES.map(ref),
      discriminator: { propertyName: 'event', mapping: Object.fromEntries(EVENT_NAMES.map((name) => [name, ref(name).$ref])) },
    },
    RunEventFrame: {
      description:
        'One SSE frame of a run’s stream: `event` is the event’s name, `data` the event as one line of compact JSON, ' +
        '`id` the position to send back as Last-Event-ID (the event_index of the newest event, then the live text held). ' +
        'Live text of a model call comes as RunContent / TeamRunContent without event_index; *Discarded withdraws it. `: heartbeat` comments come between frames. ' +
        'A stream that cannot go on ends with an `error` frame (no id) instead of the terminal event.',
      oneOf: Object.entries(frameData).map(([name, data]) => ({
        type: 'object',
        required: ['event', 'data'],
        properties: {
          event: { const: name },
          id: { type: 'string' },
          data: { type: 'string', contentMediaType: 'application/json', contentSchema: data },
        },
      })),
    },
  };
}
