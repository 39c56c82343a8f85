/** `schedules list|create|show|enable|disable|trigger|delete|runs`: schedules of runs (`/schedules`) from the command line. */
import type { ScheduleRecord } from '../client/client.ts';
import type { CommandContext } from './usage.ts';
import { need, UsageError, wholeNumber } from './usage.ts';

export interface ScheduleCommandOptions {
  cron?: string;
  timezone?: string;
  description?: string;
  session?: string;
  user?: string;
  limit?: string;
}

export async function schedulesCommand(ctx: CommandContext, [action, ...rest]: string[], options: ScheduleCommandOptions): Promise<number> {
  const { client, print, json, style } = ctx;
  const show = (value: unknown, line: string) => print(json ? JSON.stringify(value) : line);
  switch (action) {
    case 'list': {
      const page = await client.listSchedules({ limit: wholeNumber(options.limit, '--limit') });
      if (json) print(JSON.stringify(page));
      else for (const schedule of page.data) print(describe(ctx, schedule));
      return 0;
    }
    case 'create': {
      const schedule = await client.createSchedule({
        workflowId: need(rest[0], 'workflow id'),
        name: need(rest[1], 'schedule name'),
        message: need(rest.slice(2).join(' '), 'message'),
        cronExpr: options.cron,
        timezone: options.timezone,
        description: options.description,
        sessionId: options.session,
        userId: options.user,
      });
      show(schedule, schedule.id);
      return 0;
    }
    case 'show': {
      const schedule = await client.getSchedule(need(rest[0], 'schedule id'));
      show(schedule, `${describe(ctx, schedule)}\n  ${schedule.payload.message}`);
      return 0;
    }
    case 'enable':
    case 'disable': {
      const changed = await client.setScheduleEnabled(need(rest[0], 'schedule id'), action === 'enable');
      show(changed, `${changed.id} ${changed.enabled ? 'enabled' : 'disabled'}`);
      return 0;
    }
    case 'trigger': {
      const run = await client.triggerSchedule(need(rest[0], 'schedule id'));
      show(run, run.run_id);
      return 0;
    }
    case 'delete': {
      const id = need(rest[0], 'schedule id');
      await client.deleteSchedule(id);
      show({ id, deleted: true }, `${id} deleted`);
      return 0;
    }
    case 'runs': {
      const page = await client.listScheduleRuns(need(rest[0], 'schedule id'), { limit: wholeNumber(options.limit, '--limit') });
      if (json) print(JSON.stringify(page));
      else for (const run of page.data) print(`${run.run_id}  ${run.status.padEnd(9)}  ${run.triggered_at ? new Date(run.triggered_at * 1000).toISOString() : ''}  ${style.dim(run.error ?? '')}`);
      return 0;
    }
    default:
      throw new UsageError(action ? `unknown schedules action ${action}` : 'missing schedules action (list, create, show, enable, disable, trigger, delete, runs)');
  }
}

function describe({ style }: CommandContext, schedule: ScheduleRecord): string {
  const when = schedule.cron_expr ? `${schedule.cron_expr} (${schedule.timezone})` : 'on trigger only';
  const state = !schedule.enabled ? 'disabled' : schedule.next_run_at ? `next ${new Date(schedule.next_run_at * 1000).toISOString()}` : 'enabled';
  return `${style.bold(schedule.id)}  ${schedule.name}  ${schedule.target_id}  ${when}  ${style.dim(state)}`;
}
