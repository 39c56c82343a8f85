/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
 * (`schemas.ts`), and the docs page that renders it.
 */
import { z } from 'zod';
import { ContinueRequest, ErrorBody, EventsQuery, ListRunsQuery, ResumeRequest, RunEvent, RunOutput, RunRequest, RunSummary, StartedRun, WorkflowDetail, WorkflowSummary } from './schemas.ts';

type Json = Record<string, unknown>;

const schema = (type: z.ZodType, io: 'input' | 'output' = 'output'): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Json;
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (body: Json) => ({ 'application/json': { schema: body } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const sse = { 'text/event-stream': { schema: { type: 'string', description: 'SSE frames: id: <event_index>, event: <Name>, data: <RunEvent JSON>.' } } };

function queryParameters(object: z.ZodObject): Json[] {
  return Object.entries(object.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schema(field as z.ZodType, 'input'),
  }));
}

const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const workflowId = pathParam('workflow_id');
const runId = pathParam('run_id');
const formBody = (name: string) => ({
  required: true,
  content: {
    'application/json': { schema: ref(name) },
    'application/x-www-form-urlencoded': { schema: ref(name) },
    'multipart/form-data': { schema: ref(name) },
  },
});
const common = { '401': error('Missing or wrong bearer key'), '404': error('Unknown workflow or run') };

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'durable-agents',
      version: '0.1.0',
      description: 'Durable agent workflows on Temporal. Wire-compatible with Agno AgentOS workflow routes.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'OS_SECURITY_KEY, or a user key of OS_USER_KEYS' } },
      schemas: {
        Error: schema(ErrorBody),
        RunRequest: schema(RunRequest, 'input'),
        ResumeRequest: schema(ResumeRequest, 'input'),
        ContinueRequest: schema(ContinueRequest, 'input'),
        StartedRun: schema(StartedRun),
        WorkflowRunOutput: schema(RunOutput),
        RunSummary: schema(RunSummary),
        RunEvent: schema(RunEvent),
        WorkflowSummary: schema(WorkflowSummary),
        WorkflowDetail: schema(WorkflowDetail),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/health': { get: { summary: 'Health check (no auth)', security: [], responses: { '200': { description: 'OK' } } } },
      '/config': { get: { summary: 'AgentOS configuration', responses: { '200': { description: 'Configuration' }, ...common } } },
      '/workflows': {
        get: { summary: 'List workflows', responses: { '200': { description: 'Workflows', content: json({ type: 'array', items: ref('WorkflowSummary') }) } } },
      },
      '/workflows/{workflow_id}': {
        get: { summary: 'Get a workflow', parameters: [workflowId], responses: { '200': { description: 'Workflow', content: json(ref('WorkflowDetail')) }, ...common } },
      },
      '/workflows/{workflow_id}/runs': {
        post: {
          summary: 'Start a run',
          description:
            'stream=true (default): SSE of the run’s events. stream=false, background=true: 202 at once. ' +
            'Neither: waits and returns the run. An Idempotency-Key header makes the start idempotent.',
          parameters: [workflowId, { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: formBody('RunRequest'),
          responses: {
            '200': { description: 'The run’s events (stream) or the finished run', content: { ...sse, ...json(ref('WorkflowRunOutput')) } },
            '202': { description: 'Started in the background', content: json(ref('StartedRun')) },
            '403': error('user_id of another user'),
            '409': error('Idempotency-Key reused with a different request'),
            '413': error('Body too large'),
            '415': error('Unsupported content type'),
            '422': error('Invalid body'),
            ...common,
          },
        },
        get: {
          summary: 'List runs of a workflow',
          parameters: [workflowId, ...queryParameters(ListRunsQuery.omit({ workflow_id: true }))],
          responses: { '200': { description: 'Runs, newest first', content: json({ type: 'array', items: ref('RunSummary') }) }, ...common },
        },
      },
      '/workflows/{workflow_id}/runs/{run_id}': {
        get: { summary: 'Get a run', parameters: [workflowId, runId], responses: { '200': { description: 'The run', content: json(ref('WorkflowRunOutput')) }, ...common } },
      },
      '/workflows/{workflow_id}/runs/{run_id}/cancel': {
        post: {
          summary: 'Cancel a run',
          parameters: [workflowId, runId],
          responses: { '200': { description: 'Cancellation requested', content: json({ type: 'object' }) }, '409': error('The run has already ended'), ...common },
        },
      },
      '/workflows/{workflow_id}/runs/{run_id}/continue': {
        post: {
          summary: 'Answer a step waiting for confirmation or input (AgentOS), then stream or wait for the rest',
          parameters: [workflowId, runId],
          requestBody: formBody('ContinueRequest'),
          responses: { '200': { description: 'The continued run’s events, or the finished run', content: { ...sse, ...json(ref('WorkflowRunOutput')) } }, '409': error('The run is not waiting for a person'), '422': error('Invalid answer'), ...common },
        },
      },
      '/workflows/{workflow_id}/runs/{run_id}/retry': {
        post: {
          summary: 'Retry a failed run from the step that failed (or continue a paused one)',
          description: 'Completed steps are not run again; the run keeps its id and its events continue after the failed attempt’s.',
          parameters: [workflowId, runId],
          responses: { '202': { description: 'Retry started', content: json(ref('StartedRun')) }, '409': error('The run is not failed or paused'), ...common },
        },
      },
      '/workflows/{workflow_id}/runs/{run_id}/resume': {
        post: {
          summary: 'Resume a run’s event stream after last_event_index',
          parameters: [workflowId, runId],
          requestBody: formBody('ResumeRequest'),
          responses: { '200': { description: 'Events after last_event_index', content: sse }, '422': error('Invalid body'), ...common },
        },
      },
      '/workflows/{workflow_id}/runs/{run_id}/events': {
        get: {
          summary: 'The run’s events as SSE, for EventSource (resumes from Last-Event-ID or ?after=)',
          parameters: [workflowId, runId, ...queryParameters(EventsQuery), { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
          responses: { '200': { description: 'Events, ending with the terminal event', content: sse }, ...common },
        },
      },
      '/runs': {
        get: {
          summary: 'List runs across workflows and sessions',
          parameters: queryParameters(ListRunsQuery),
          responses: { '200': { description: 'Runs, newest first', content: json({ type: 'array', items: ref('RunSummary') }) }, ...common },
        },
      },
    },
  };
}
