#!/usr/bin/env node
/**
 * Command line for the HTTP API (uses the typed client): list workflows, start and follow runs,
 * get, list, cancel, retry and fork them, answer their approvals, manage schedules, see the
 * queue's jobs and stats; and `init`, which writes a starter project.  `npm run cli -- help`
 */
import { parseArgs } from 'node:util';
import { ApiError, DurableAgentsClient } from '../client/client.ts';
import { RUN_STATUSES, waitingRequirement } from '../contracts/events.ts';
import type { RunStatus } from '../contracts/events.ts';
import { approvalsCommand } from './approvals.ts';
import { MULTITASK_STRATEGIES } from '../contracts/multitask-strategies.ts';
import type { MultitaskStrategy } from '../contracts/multitask-strategies.ts';
import { JOB_STATUSES } from '../contracts/job-statuses.ts';
import type { JobStatus } from '../contracts/job-statuses.ts';
import { runChat } from './chat.ts';
import { runInit } from './init.ts';
import { COLOR, PLAIN, renderMarkdown } from './markdown.ts';
import { EventRenderer } from './render-events.ts';
import { schedulesCommand } from './schedules.ts';
import { jsonObject, need, UsageError, wholeNumber } from './usage.ts';

const USAGE = `usage: durable-agents <command> [options]

commands:
  init <dir>                          write a starter project (one agent with one tool) into <dir>
  workflows                           list the workflows the API serves
  run <workflow> <message...>         start a run and follow it live (--background: print its id and return)
  follow <workflow> <run_id>          follow a run's events live (--after N to skip the first N+1)
  get <workflow> <run_id>             show a run (--json for the raw response)
  list                                list runs (--workflow, --status, --session, --user, --limit)
  cancel <workflow> <run_id>          cancel a run
  retry <workflow> <run_id>           retry a failed run from its failed step, and follow it
  continue <workflow> <run_id>        confirm the step a run waits on (--reject to refuse, --input JSON to answer)
  fork <workflow> <run_id> <step>     a new run from a step (name or index) of an ended run, reusing the steps before it,
                                      and follow it (--iteration N at a Loop, --message, --session, --background)
  approvals list                      the questions runs wait on (--workflow, --user, --limit)
  approvals show <approval_id>        one question, and its answer once answered
  approvals resolve <approval_id>     approve it (--reject to refuse, --input JSON to answer, --by NAME)
  schedules list                      the schedules (--limit)
  schedules create <workflow> <name> <message...>   a schedule of runs (--cron EXPR, --timezone TZ, --description, --session, --user)
  schedules show|enable|disable|trigger|delete <schedule_id>
  schedules runs <schedule_id>        the runs a schedule started (--limit)
  jobs                                list runs as queue jobs, queued ones with their place (--status, --session, --user, --limit)
  stats                               the queue's health: jobs by status, the oldest queued job's age
  chat <agent_or_team>                a live chat of many turns in one session (--session to go on with one)

options:
  --url URL          the API (default $API_URL or http://localhost:7777)
  --api-key KEY      bearer key or token: a static key, a JWT, a service account's agno_pat_ (default $OS_SECURITY_KEY)
  --session ID, --user ID, --idempotency-key KEY   for run
  --timeout SECONDS, --priority 1-5                 for run: its time limit and Temporal priority
  --strategy NAME    for run in a session with a live run: enqueue, reject, interrupt, rollback, concurrent
  --json             machine-readable output`;

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    'api-key': { type: 'string' },
    background: { type: 'boolean', default: false },
    session: { type: 'string' },
    user: { type: 'string' },
    'idempotency-key': { type: 'string' },
    strategy: { type: 'string' },
    after: { type: 'string' },
    workflow: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
    reject: { type: 'boolean', default: false },
    input: { type: 'string' },
    timeout: { type: 'string' },
    priority: { type: 'string' },
    iteration: { type: 'string' },
    message: { type: 'string' },
    by: { type: 'string' },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    description: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const style = process.stdout.isTTY && !process.env.NO_COLOR ? COLOR : PLAIN;
const print = (line: string) => process.stdout.write(`${line}\n`);
const client = new DurableAgentsClient({
  baseUrl: options.url ?? process.env.API_URL ?? 'http://localhost:7777',
  apiKey: options['api-key'] ?? process.env.OS_SECURITY_KEY,
});

const context = { client, print, style, json: options.json };

function strategyOption(): MultitaskStrategy | undefined {
  if (options.strategy === undefined) return undefined;
  if (!(MULTITASK_STRATEGIES as readonly string[]).includes(options.strategy)) throw new UsageError(`--strategy must be one of ${MULTITASK_STRATEGIES.join(', ')}`);
  return options.strategy as MultitaskStrategy;
}

async function follow(workflow: string, runId: string, after = -1): Promise<number> {
  const renderer = new EventRenderer(print, style);
  let code = 0;
  for await (const event of client.events(workflow, runId, { after })) {
    if (options.json) print(JSON.stringify(event));
    else renderer.render(event);
    // The last terminal event decides: a retried run's log also holds its failed attempt's end.
    if (event.event === 'WorkflowCompleted') code = 0;
    if (event.event === 'WorkflowError') code = 1;
    if (event.event === 'WorkflowCancelled') code = 130;
  }
  return code;
}

async function main(): Promise<number> {
  const [command, ...rest] = positionals;
  if (options.help || !command || command === 'help') {
    print(USAGE);
    return command || options.help ? 0 : 2;
  }
  switch (command) {
    case 'init':
      return runInit(need(rest[0], 'project directory'), print);
    case 'workflows': {
      const workflows = await client.listWorkflows();
      if (options.json) print(JSON.stringify(workflows));
      else for (const w of workflows) print(`${style.bold(w.id)}  ${w.name}${w.description ? style.dim(` — ${w.description}`) : ''}`);
      return 0;
    }
    case 'run': {
      const workflow = need(rest[0], 'workflow id');
      const message = need(rest.slice(1).join(' '), 'message');
      const started = await client.startRun(workflow, {
        message,
        sessionId: options.session,
        userId: options.user,
        idempotencyKey: options['idempotency-key'],
        timeoutSeconds: wholeNumber(options.timeout, '--timeout'),
        priority: wholeNumber(options.priority, '--priority'),
        multitaskStrategy: strategyOption(),
      });
      if (options.background) {
        print(options.json ? JSON.stringify(started) : started.run_id);
        return 0;
      }
      return follow(workflow, started.run_id);
    }
    case 'follow':
      return follow(need(rest[0], 'workflow id'), need(rest[1], 'run id'), options.after ? Number(options.after) : -1);
    case 'get': {
      const run = await client.getRun(need(rest[0], 'workflow id'), need(rest[1], 'run id'));
      if (options.json) {
        print(JSON.stringify(run));
        return 0;
      }
      print(`${style.bold(run.workflow_name)} ${style.dim(run.run_id)}  ${run.status}`);
      for (const step of run.step_results) print(`  ${step.success ? style.green('✓') : style.red('✗')} ${step.step_name} ${style.dim(`(${step.executor_type} ${step.executor_name})`)}`);
      if (run.error) print(style.red(run.error));
      if (run.content) print(`\n${renderMarkdown(run.content, style)}`);
      return 0;
    }
    case 'list': {
      if (options.status && !RUN_STATUSES.includes(options.status as RunStatus)) throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}`);
      const runs = await client.listRuns({
        workflowId: options.workflow,
        status: options.status as RunStatus | undefined,
        sessionId: options.session,
        userId: options.user,
        limit: wholeNumber(options.limit, '--limit'),
      });
      if (options.json) print(JSON.stringify(runs));
      else for (const r of runs) print(`${r.run_id}  ${r.status.padEnd(9)}  ${new Date(r.created_at * 1000).toISOString()}  ${r.workflow_id}  ${style.dim(r.input)}`);
      return 0;
    }
    case 'retry': {
      const workflow = need(rest[0], 'workflow id');
      const runId = need(rest[1], 'run id');
      await client.retryRun(workflow, runId);
      if (options.background) return 0;
      // The whole log: the failed attempt, then the retry continuing it.
      return follow(workflow, runId);
    }
    case 'continue': {
      const workflow = need(rest[0], 'workflow id');
      const runId = need(rest[1], 'run id');
      const waiting = waitingRequirement(await client.getRun(workflow, runId));
      if (!waiting) throw new UsageError(`run ${runId} is not waiting for anyone`);
      const userInput = jsonObject(options.input, '--input');
      if (waiting.requires_user_input && !options.reject && !userInput) throw new UsageError(`step ${waiting.step_name} asks: ${waiting.user_input_message}; answer with --input JSON`);
      print(`${options.reject ? 'rejecting' : 'continuing'} ${waiting.step_name}`);
      await client.continueRun(workflow, runId, { stepId: waiting.step_id, confirmed: !options.reject, userInput });
      return follow(workflow, runId);
    }
    case 'fork': {
      const workflow = need(rest[0], 'workflow id');
      const step = need(rest[2], 'step (name or index)');
      const forked = await client.forkRun(workflow, need(rest[1], 'run id'), {
        ...(/^\d+$/.test(step) ? { stepIndex: Number(step) } : { stepName: step }),
        iteration: wholeNumber(options.iteration, '--iteration'),
        message: options.message,
        sessionId: options.session,
      });
      if (options.background) {
        print(options.json ? JSON.stringify(forked) : forked.run_id);
        return 0;
      }
      return follow(workflow, forked.run_id);
    }
    case 'approvals':
      return approvalsCommand(context, rest, options);
    case 'schedules':
      return schedulesCommand(context, rest, options);
    case 'jobs': {
      if (options.status && !(JOB_STATUSES as readonly string[]).includes(options.status)) throw new UsageError(`--status must be one of ${JOB_STATUSES.join(', ')}`);
      const page = await client.listJobs({
        status: options.status ? [options.status as JobStatus] : undefined,
        sessionId: options.session ? [options.session] : undefined,
        userId: options.user,
        limit: options.limit ? Number(options.limit) : undefined,
      });
      if (options.json) print(JSON.stringify(page));
      else for (const job of page.data) print(`${job.id}  ${job.status.padEnd(9)}  ${job.queue_position === null ? '   ' : `#${String(job.queue_position).padEnd(2)}`}  ${job.session_id}  ${job.component_id}`);
      return 0;
    }
    case 'stats': {
      const stats = await client.queueStats();
      if (options.json) print(JSON.stringify(stats));
      else {
        print(`queued ${stats.queue_depth} of at most ${stats.max_queue_depth || 'unbounded'}; oldest waiting ${stats.oldest_queued_age_seconds ?? 0} s`);
        for (const [status, count] of Object.entries(stats.counts)) print(`  ${status.padEnd(9)} ${count}`);
      }
      return 0;
    }
    case 'cancel':
      await client.cancelRun(need(rest[0], 'workflow id'), need(rest[1], 'run id'));
      print('cancellation requested');
      return 0;
    case 'chat':
      return runChat(client, need(rest[0], 'agent or team id'), { sessionId: options.session, userId: options.user, input: process.stdin, write: (text) => process.stdout.write(text), style });
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof ApiError) {
    console.error(`error: ${typeof err.detail === 'string' ? err.detail : JSON.stringify(err.detail)} (HTTP ${err.status})`);
    process.exitCode = 1;
  } else {
    const cause = (err as { cause?: { code?: string } }).cause;
    console.error(cause?.code === 'ECONNREFUSED' ? `error: cannot reach the API at ${options.url ?? process.env.API_URL ?? 'http://localhost:7777'}; is it running (npm start)?` : `error: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
