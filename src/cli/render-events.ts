/**
 * A live, readable rendering of a run's events: progress per step, who delegated what to whom,
 * tool calls, and the final content as Markdown.
 */
import type { ExecutorEvent } from '../contracts/events.ts';
import { isLogEvent } from '../contracts/live.ts';
import type { StreamedEvent } from '../contracts/live.ts';
import { renderMarkdown } from './markdown.ts';
import type { Style } from './markdown.ts';
import { textExcerpt } from '../contracts/text-refs.ts';

function args(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function seconds(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} s`;
}

export class EventRenderer {
  private readonly write: (line: string) => void;
  private readonly style: Style;
  private readonly depth = new Map<string, number>();
  /** The agent or team run whose name heads the lines written last. */
  private speaking: string | undefined;

  constructor(write: (line: string) => void, style: Style) {
    this.write = write;
    this.style = style;
  }

  private indent(event: ExecutorEvent): string {
    const own = this.depth.get(event.run_id) ?? (event.parent_run_id ? (this.depth.get(event.parent_run_id) ?? 1) + 1 : 1);
    return '  '.repeat(own);
  }

  private nameOf(event: ExecutorEvent): string {
    return 'team_name' in event ? `${event.team_name} (team)` : event.agent_name;
  }

  /**
   * Lines of one agent's or team's run go under its name. Members of a team can run in parallel,
   * so their events interleave: when another run speaks, its name is written again first.
   */
  private writeFor(event: ExecutorEvent, line: string): void {
    if (this.speaking !== event.run_id) {
      this.speaking = event.run_id;
      this.write(`${this.indent(event)}${this.style.bold(this.nameOf(event))}`);
    }
    this.write(line);
  }

  render(event: StreamedEvent): void {
    // Content is shown once complete (in the step's and the run's results), not token by token.
    if (!isLogEvent(event)) return;
    const s = this.style;
    // A workflow or step line between them: the next agent line names its agent again.
    if (!('agent_id' in event) && !('team_id' in event)) this.speaking = undefined;
    switch (event.event) {
      case 'WorkflowStarted':
        this.write(`${s.bold(`▶ ${event.workflow_name}`)} ${s.dim(`run ${event.run_id}`)}`);
        break;
      case 'StepStarted':
        this.write(`${s.cyan('●')} ${s.bold(`Step ${event.step_index + 1}: ${event.step_name}`)}`);
        break;
      case 'RunStarted':
      case 'TeamRunStarted': {
        const depth = event.parent_run_id ? (this.depth.get(event.parent_run_id) ?? 1) + 1 : 1;
        this.depth.set(event.run_id, depth);
        this.speaking = event.run_id;
        this.write(`${'  '.repeat(depth)}${s.bold(this.nameOf(event))} ${s.dim(`${event.model_provider} ${event.model}`)}`);
        break;
      }
      case 'ToolCallStarted':
      case 'TeamToolCallStarted':
        this.writeFor(event, `${this.indent(event)}  ${s.yellow('→')} ${event.tool.tool_name}(${textExcerpt(args(event.tool.tool_args), 80)})`);
        break;
      case 'ToolCallCompleted':
      case 'TeamToolCallCompleted': {
        const mark = event.tool.tool_call_error ? s.red('✗') : s.green('✓');
        const took = event.tool.metrics ? ` ${seconds(event.tool.metrics.duration)}` : '';
        this.writeFor(event, `${this.indent(event)}  ${mark} ${event.tool.tool_name}${s.dim(took)} ${s.dim(textExcerpt(event.tool.result ?? '', 100))}`);
        break;
      }
      case 'RunCompleted':
      case 'TeamRunCompleted': {
        const m = event.metrics;
        if (!m) break;
        const first = m.time_to_first_token !== undefined ? ` · first token after ${seconds(m.time_to_first_token)}` : '';
        this.writeFor(event, `${this.indent(event)}  ${s.dim(`${m.total_tokens} tokens${first}`)}`);
        break;
      }
      case 'RunError':
      case 'TeamRunError':
        this.writeFor(event, `${this.indent(event)}  ${s.red(`✗ ${event.content}`)}`);
        break;
      case 'StepCompleted':
        this.write(`${s.green('✓')} ${event.step_name} ${s.dim(`(${event.content.length} characters)`)}`);
        break;
      case 'WorkflowCompleted':
        this.write('');
        this.write(renderMarkdown(event.content, s));
        this.write('');
        const tokens = Object.values(event.metrics.steps).reduce((sum, step) => sum + step.metrics.total_tokens, 0);
        this.write(s.green(`✓ completed${event.metrics.duration !== undefined ? ` in ${event.metrics.duration.toFixed(1)} s` : ''}${tokens ? ` · ${tokens} tokens` : ''}`));
        break;
      case 'WorkflowError':
        this.write(s.red(`✗ failed${event.step_name ? ` at ${event.step_name}` : ''}: ${event.error}`));
        break;
      case 'WorkflowPaused': {
        if (event.pause_kind === 'step') {
          const waiting = event.step_requirements[0];
          this.write(s.yellow(`⏸ ${waiting?.step_name ?? event.paused_step_name} waits for you: ${waiting?.confirmation_message ?? waiting?.user_input_message ?? ''}`));
        } else {
          this.write(s.yellow(`⏸ paused at ${event.paused_step_name}: ${event.error}`));
        }
        break;
      }
      case 'WorkflowCancelled':
        this.write(s.yellow('■ cancelled'));
        break;
      case 'WorkflowReset':
        this.write(s.yellow(`↺ reset by an operator: ${event.reason}`));
        break;
    }
  }
}
