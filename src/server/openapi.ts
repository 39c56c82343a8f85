/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and
 * describe responses (`schemas.ts`, `event-schemas.ts`). It states what the server does, for the
 * server as configured: every status code a route can answer, SSE streams event by event
 * (`itemSchema`, as OpenAPI 3.2 names it), and bearer auth only when a key is set.
 */
import { z } from 'zod';
import { EVENT_NAMES } from '../contracts/events.ts';
import { EVENT_SCHEMAS, ExecutorRunOutput, LIVE_EVENT_SCHEMAS, RunMessage, RunMetrics, StepRequirement, StepResult, StreamError, TokenMetrics, ToolExecution } from './event-schemas.ts';
import * as api from './schemas.ts';
import { SESSION_REQUEST_SCHEMAS, SESSION_RESPONSE_SCHEMAS, sessionOperations } from './openapi-sessions.ts';

type Json = Record<string, unknown>;

export interface DocumentOptions {
  /** The served workflows' ids: the only `workflow_id` values that are not a 404. */
  workflowIds: string[];
  /** Bearer auth is configured (OS_SECURITY_KEY or OS_USER_KEYS). */
  secured: boolean;
  /** Paths answered without a key even when auth is on. */
  publicPaths: ReadonlySet<string>;
}

const pointer = (...parts: string[]) => '#/' + parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Named schemas in `#/components/schemas`, each generated once; shared ones become `$ref`s. */
function componentSchemas(): Record<string, Json> {
  const generate = (io: 'input' | 'output', named: Record<string, z.ZodType>) => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
    const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
    return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema as Json]));
  };
  const requests = generate('input', { RunRequest: api.RunRequest, ContinueRequest: api.ContinueRequest, ResumeRequest: api.ResumeRequest, ...SESSION_REQUEST_SCHEMAS });
  const responses = generate('output', {
    Error: api.ErrorBody,
    Health: api.Health,
    OsConfig: api.OsConfig,
    StartedRun: api.StartedRun,
    RetriedRun: api.RetriedRun,
    WorkflowRunOutput: api.RunOutput,
    RunSummary: api.RunSummary,
    WorkflowSummary: api.WorkflowSummary,
    WorkflowDetail: api.WorkflowDetail,
    WorkflowStep: api.WorkflowStep,
    StepResult,
    ExecutorRunOutput,
    RunMessage,
    StepRequirement,
    RunMetrics,
    TokenMetrics,
    ToolExecution,
    ...SESSION_RESPONSE_SCHEMAS,
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

const json = (schema: Json) => ({ 'application/json': { schema } });
const sse = { 'text/event-stream': { itemSchema: ref('RunEventFrame') } };
const answer = (description: string, content?: Json) => ({ description, ...(content ? { content } : {}) });
const error = (description: string) => answer(description, json(ref('Error')));

/** Query parameters of a zod object, as the server reads them. */
function queryParameters(object: z.ZodObject): Json[] {
  return Object.entries(object.shape).map(([name, field]) => {
    const { $schema: _ignored, description, ...schema } = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Json;
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema };
  });
}

function header(name: string, schema: z.ZodType, description: string): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Json;
  return { name, in: 'header', required: false, description, schema: rest };
}

/**
 * Form fields are text: booleans as true/false, numbers in decimal, objects and arrays as JSON
 * (in multipart, as OpenAPI's default application/json parts). A urlencoded form has no way to
 * state a field holding JSON, so a body with a required object field documents JSON and multipart
 * only; the server reads such a field from a urlencoded form as JSON text all the same (AgentOS).
 */
const body = (name: string, { required = true, urlencoded = true } = {}) => ({
  required,
  content: {
    'application/json': { schema: ref(name) },
    ...(urlencoded ? { 'application/x-www-form-urlencoded': { schema: ref(name) } } : {}),
    'multipart/form-data': { schema: ref(name) },
  },
});

/** Answers every request with a body can get before its route runs. */
const bodyErrors = {
  '400': error('The body is not valid JSON or not UTF-8, or a form that cannot be read or has more than 1000 fields'),
  '413': error('Body larger than the limit (1 MiB by default)'),
  '415': error('A content type other than JSON, urlencoded or multipart form'),
  '422': error('The body does not match its schema (details per field)'),
};

export function openApiDocument(options: DocumentOptions): Json {
  const workflowId = { name: 'workflow_id', in: 'path', required: true, description: 'A served workflow.', schema: { type: 'string', enum: options.workflowIds } };
  const runId = { name: 'run_id', in: 'path', required: true, schema: { type: 'string' } };
  const notFound = error('Unknown workflow or run (another user’s run is reported the same way)');
  const unavailable = error('Temporal or its workers are unavailable; try again shortly');
  // What a started run's id leads to (OpenAPI links: clients and test generators follow them).
  const runLinks = Object.fromEntries(
    [['GetRun', 'get', ''], ['CancelRun', 'post', '/cancel'], ['ContinueRun', 'post', '/continue'], ['RetryRun', 'post', '/retry'], ['ResumeRun', 'post', '/resume'], ['RunEvents', 'get', '/events']].map(
      ([name, method, suffix]) => [
        name,
        {
          operationRef: pointer('paths', `/workflows/{workflow_id}/runs/{run_id}${suffix}`, method!),
          parameters: { workflow_id: '$request.path.workflow_id', run_id: '$response.body#/run_id' },
        },
      ],
    ),
  );
  const runOf = (extra: Json, query: z.ZodObject = api.RunQuery) => ({ parameters: [workflowId, runId, ...queryParameters(query)], ...extra });

  const operations: Record<string, Record<string, Json>> = {
    '/health': { get: { summary: 'Health check', responses: { '200': answer('Serving', json(ref('Health'))) } } },
    '/openapi.json': { get: { summary: 'This document', responses: { '200': answer('The OpenAPI document', json({ type: 'object' })) } } },
    '/docs': { get: { summary: 'Docs page rendering this document', responses: { '200': answer('HTML page', { 'text/html': { schema: { type: 'string' } } }) } } },
    '/config': { get: { summary: 'AgentOS configuration', responses: { '200': answer('Configuration', json(ref('OsConfig'))) } } },
    '/workflows': { get: { summary: 'List workflows', responses: { '200': answer('Workflows', json({ type: 'array', items: ref('WorkflowSummary') })) } } },
    '/workflows/{workflow_id}': {
      get: { summary: 'Get a workflow', parameters: [workflowId], responses: { '200': answer('Workflow', json(ref('WorkflowDetail'))), '404': notFound } },
    },
    '/workflows/{workflow_id}/runs': {
      post: {
        summary: 'Start a run',
        description:
          'stream=true (default): SSE of the run’s events. stream=false, background=true: 202 at once. ' +
          'Neither: waits and returns the run. An Idempotency-Key header makes the start idempotent.',
        parameters: [workflowId, header('Idempotency-Key', api.IdempotencyKey, 'The same key (per workflow and user) and body always return the same run.')],
        requestBody: body('RunRequest'),
        responses: {
          '200': answer('The run’s events (stream=true) or the finished run (stream=false)', { ...sse, ...json(ref('WorkflowRunOutput')) }),
          '202': { ...answer('Started in the background', json(ref('StartedRun'))), links: runLinks },
          ...bodyErrors,
          '400': error('Invalid Idempotency-Key, a body that is not valid JSON or not UTF-8, or a form that cannot be read or has more than 1000 fields'),
          ...(options.secured ? { '403': error('user_id of another user than the one the key is bound to') } : {}),
          '404': notFound,
          '409': error('Idempotency-Key reused with a different request'),
          '503': unavailable,
        },
      },
      get: {
        summary: 'List runs of a workflow, whole (AgentOS); GET /runs lists summaries',
        parameters: [workflowId, ...queryParameters(api.ListRunsQuery.omit({ workflow_id: true }))],
        responses: { '200': answer('Runs, newest first', json({ type: 'array', items: ref('WorkflowRunSchema') })), '404': notFound, '422': error('Invalid filter'), '503': unavailable },
      },
    },
    '/workflows/{workflow_id}/runs/{run_id}': {
      get: runOf({ summary: 'Get a run', responses: { '200': answer('The run', json(ref('WorkflowRunOutput'))), '404': notFound, '503': unavailable } }),
    },
    '/workflows/{workflow_id}/runs/{run_id}/cancel': {
      post: runOf(
        {
          summary: 'Cancel a run',
          description: 'As AgentOS: 200 {} also for a run that has ended or is unknown (nothing to stop); strict=true answers 404 and 409 for those.',
          responses: {
            '200': answer('Cancellation requested, or nothing to stop', json({ type: 'object', additionalProperties: false })),
            '404': error('strict=true, or a key bound to a user: unknown workflow or run'),
            '409': error('strict=true: the run has already ended'),
            '422': error('Invalid query'),
            '503': unavailable,
          },
        },
        api.CancelQuery,
      ),
    },
    '/workflows/{workflow_id}/runs/{run_id}/continue': {
      post: runOf({
        summary: 'Answer a step waiting for confirmation or input (AgentOS), then stream or wait for the rest',
        requestBody: body('ContinueRequest', { urlencoded: false }),
        responses: {
          '200': answer('The continued run’s events (stream=true), or the run once it ends or pauses again', { ...sse, ...json(ref('WorkflowRunOutput')) }),
          ...bodyErrors,
          '404': notFound,
          '409': error('The run is not waiting for a person, or another answer was taken first (the detail names it): an answer is taken once'),
          '503': unavailable,
        },
      }),
    },
    '/workflows/{workflow_id}/runs/{run_id}/retry': {
      post: runOf({
        summary: 'Retry a failed run from the step that failed, or one held after a failure',
        description: 'Completed steps are not run again; the run keeps its id and its events continue after the failed attempt’s.',
        responses: {
          '202': answer('Retry started', json(ref('RetriedRun'))),
          '404': notFound,
          '409': error('The run has not failed (it runs, completed, was cancelled, or waits for a person), or is being retried already'),
          '503': unavailable,
        },
      }),
    },
    '/workflows/{workflow_id}/runs/{run_id}/resume': {
      post: runOf({
        summary: 'Resume a run’s event stream after last_event_index',
        requestBody: body('ResumeRequest', { required: false }),
        responses: { '200': answer('Events after last_event_index, ending with the terminal event', sse), ...bodyErrors, '404': notFound, '503': unavailable },
      }),
    },
    '/workflows/{workflow_id}/runs/{run_id}/events': {
      get: {
        summary: 'The run’s events as SSE, for EventSource (resumes from Last-Event-ID or ?after=)',
        parameters: [
          workflowId,
          runId,
          ...queryParameters(api.EventsQuery.extend(api.RunQuery.shape)),
          header('Last-Event-ID', api.LastEventId, 'The id of the last frame received (EventSource sends it on reconnect); ?after= wins over it.'),
        ],
        responses: {
          '200': answer('Events, ending with the terminal event (also for a run that ended long ago)', sse),
          '400': error('Last-Event-ID is not an event index'),
          '404': notFound,
          '422': error('Invalid ?after='),
          '503': unavailable,
        },
      },
    },
    '/runs': {
      get: {
        summary: 'List runs across workflows and sessions',
        parameters: queryParameters(api.ListRunsQuery).map((parameter) =>
          parameter.name === 'workflow_id' ? { ...parameter, description: 'Only runs of this workflow; an unknown one is a 404.' } : parameter,
        ),
        responses: {
          '200': answer('Runs, newest first', json({ type: 'array', items: ref('RunSummary') })),
          '404': error('Unknown workflow_id'),
          '422': error('Invalid filter'),
          '503': unavailable,
        },
      },
    },
    ...sessionOperations({ queryParameters, answer, error, json, pointer }),
  };

  if (options.secured) {
    for (const [path, methods] of Object.entries(operations)) {
      for (const operation of Object.values(methods)) {
        if (options.publicPaths.has(path)) operation.security = [];
        else operation.responses = { ...(operation.responses as Json), '401': error('Missing or wrong bearer key') };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'durable-agents',
      version: '0.1.0',
      description:
        'Durable agent workflows on Temporal. Wire-compatible with Agno AgentOS workflow routes; runs also stream on the WebSocket /workflows/ws (AgentOS’s protocol, see the README). ' +
        (options.secured ? `Every route but ${[...options.publicPaths].join(', ')} needs a bearer key.` : 'This server runs without authentication.'),
    },
    ...(options.secured
      ? { security: [{ bearer: [] }] }
      : {}),
    components: {
      ...(options.secured
        ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'OS_SECURITY_KEY, or a user key of OS_USER_KEYS (sees that user’s runs only)' } } }
        : {}),
      schemas: componentSchemas(),
    },
    paths: operations,
  };
}
