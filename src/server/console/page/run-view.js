/**
 * One run: its state and the actions it allows (cancel, retry from the failed step, continue a
 * paused step, fork), its tokens by model, a link to it in the Temporal Web UI, and its log as a
 * timeline — steps, the model's text as it streams, tool calls with arguments and results — each
 * event with its index in the run's log.
 */
import { runPath, webUiLink } from './api.js';

const CONTENT_EVENTS = new Set(['RunContent', 'TeamRunContent']);
const DISCARD_EVENTS = new Set(['RunContentDiscarded', 'TeamRunContentDiscarded']);
const MODEL_CALL_ENDS = new Set(['ModelRequestCompleted', 'TeamModelRequestCompleted']);
/** Events of steps and groups of steps, not of the agents and teams inside them. */
const FLOW_EVENT = /^(Step|Parallel|Loop|Condition|Router|Steps)[A-Z]/;
const TOOL_CALLS = new Set(['ToolCallStarted', 'ToolCallCompleted', 'TeamToolCallStarted', 'TeamToolCallCompleted']);
/** Tool arguments and results longer than this show their start, the rest behind a click. */
const SHOWN_CHARACTERS = 400;

export class RunView {
  /** `features.fork`: the API serves forks of runs. */
  constructor(api, element, features) {
    this.api = api;
    this.element = element;
    this.features = features;
    this.following = undefined;
  }

  async show(workflowId, runId) {
    this.following?.abort();
    this.following = new AbortController();
    this.workflowId = workflowId;
    this.runId = runId;
    this.lastIndex = -1;
    this.texts = new Map();
    this.tokens = new Map();
    /** The top-level steps the run reached, by position: where it can be forked. */
    this.steps = new Map();
    this.element.innerHTML = `<div class="run-head"><h2></h2><span class="status"></span><span class="actions"></span><a class="web-ui" target="_blank" hidden>Open in Temporal Web UI</a></div>
      <p class="run-error" hidden></p><div class="question"></div><table class="tokens" hidden><thead><tr><th>model</th><th>calls</th><th>input tokens</th><th>output tokens</th><th>total tokens</th></tr></thead><tbody></tbody></table>
      <ol class="timeline"></ol>`;
    this.element.querySelector('h2').textContent = `${workflowId} · ${runId}`;
    await this.refresh();
    this.follow(this.following.signal);
  }

  /** Reads the run's events from the newest one shown until its log ends (a retry opens it again). */
  async follow(signal) {
    try {
      for await (const event of this.api.events(this.workflowId, this.runId, this.lastIndex, signal)) {
        this.add(event);
        if (typeof event.event_index === 'number' && !CONTENT_EVENTS.has(event.event)) this.refreshSoon();
      }
    } catch (err) {
      if (!signal.aborted) this.problem(err);
    }
  }

  /** The run's state changed: read it again, at most a few times a second. */
  refreshSoon() {
    if (this.refreshing) return;
    this.refreshing = setTimeout(() => {
      this.refreshing = undefined;
      this.refresh().catch((err) => this.problem(err));
    }, 300);
  }

  async refresh() {
    const shown = this.following;
    const response = await this.api.send('GET', runPath(this.workflowId, this.runId));
    const run = await response.json();
    // The page moved to another run while this was read: the answer is not the one shown now.
    if (shown !== this.following) return;
    const link = webUiLink(response);
    const webUi = this.element.querySelector('.web-ui');
    if (link) webUi.href = link;
    webUi.hidden = !link;
    const status = this.element.querySelector('.status');
    status.textContent = run.status;
    status.className = `status status-${run.status}`;
    this.showActions(run);
    this.showQuestion(run);
  }

  showActions(run) {
    const actions = this.element.querySelector('.actions');
    actions.replaceChildren();
    const button = (label, action, handler) => {
      const element = document.createElement('button');
      element.textContent = label;
      element.dataset.action = action;
      element.addEventListener('click', () => this.act(element, handler));
      actions.append(element);
    };
    if (['PENDING', 'RUNNING', 'PAUSED'].includes(run.status)) button('Cancel', 'cancel', () => this.api.send('POST', `${runPath(this.workflowId, this.runId)}/cancel?strict=true`));
    // A failed run, or one held after a failure (paused without a question): from the failed step.
    if (run.status === 'ERROR' || (run.status === 'PAUSED' && run.pause_kind !== 'step')) button('Retry from the failed step', 'retry', () => this.retry());
    if (this.features.fork && ['COMPLETED', 'ERROR', 'CANCELLED'].includes(run.status) && this.steps.size) {
      // A fork runs the chosen step and those after it again, reusing the ones before.
      const step = document.createElement('select');
      step.className = 'fork-step';
      step.append(...[...this.steps.values()].map((name) => new Option(`at ${name}`, name)));
      button('Fork', 'fork', () => this.fork(step.value));
      actions.append(step);
    }
  }

  /** A paused step's question, and the answers it takes. */
  showQuestion(run) {
    const question = this.element.querySelector('.question');
    const waiting = run.status === 'PAUSED' && run.pause_kind === 'step' ? run.step_requirements?.at(-1) : undefined;
    if (!waiting) return question.replaceChildren();
    if (question.dataset.stepId === waiting.step_id && question.childElementCount) return;
    question.dataset.stepId = waiting.step_id;
    question.innerHTML = `<p><strong></strong> <span class="message"></span></p>`;
    question.querySelector('strong').textContent = `Step ${waiting.step_name ?? waiting.step_id} waits:`;
    question.querySelector('.message').textContent = waiting.requires_user_input ? (waiting.user_input_message ?? 'input needed') : (waiting.confirmation_message ?? 'confirm to continue');
    const answer = (label, action, toAnswer) => {
      const element = document.createElement('button');
      element.textContent = label;
      element.dataset.action = action;
      element.addEventListener('click', () => this.act(element, () => this.continueWith({ step_id: waiting.step_id, ...toAnswer() })));
      question.append(element);
    };
    if (waiting.requires_user_input) {
      const input = document.createElement('textarea');
      input.className = 'user-input';
      input.value = JSON.stringify(Object.fromEntries(Object.keys(waiting.user_input_schema?.properties ?? {}).map((name) => [name, ''])), null, 1);
      question.append(input);
      answer('Continue', 'continue', () => ({ user_input: JSON.parse(input.value) }));
    } else {
      answer('Confirm and continue', 'continue', () => ({ confirmed: true }));
      answer('Reject', 'reject', () => ({ confirmed: false }));
    }
  }

  /** Runs an action of a button, which stays disabled meanwhile; what went wrong is shown. */
  async act(button, action) {
    button.disabled = true;
    try {
      await action();
      await this.refresh();
    } catch (err) {
      this.problem(err);
    } finally {
      button.disabled = false;
    }
  }

  async continueWith(answer) {
    this.element.querySelector('.question').replaceChildren();
    // stream=false answers once the run ends or pauses again; the page follows it meanwhile through its events.
    await this.api.send('POST', `${runPath(this.workflowId, this.runId)}/continue`, { body: { step_requirements: [answer], stream: false } });
  }

  async retry() {
    await this.api.send('POST', `${runPath(this.workflowId, this.runId)}/retry`);
    // The log goes on after its WorkflowError: follow it again from there.
    this.following.abort();
    this.following = new AbortController();
    this.follow(this.following.signal);
  }

  async fork(stepName) {
    const forked = await this.api.json('POST', `${runPath(this.workflowId, this.runId)}/fork`, { body: { step_name: stepName } });
    location.hash = `#/runs/${encodeURIComponent(this.workflowId)}/${encodeURIComponent(forked.run_id)}`;
  }

  problem(err) {
    const shown = this.element.querySelector('.run-error');
    shown.textContent = String(err.message ?? err);
    shown.hidden = false;
  }

  /** One streamed event onto the timeline: log events in order, live text into its call's text. */
  add(event) {
    if (typeof event.event_index === 'number') {
      if (event.event_index <= this.lastIndex) return;
      this.lastIndex = event.event_index;
    }
    if (CONTENT_EVENTS.has(event.event)) return this.addText(event);
    if (DISCARD_EVENTS.has(event.event)) return this.dropText(event);
    if (MODEL_CALL_ENDS.has(event.event)) this.countTokens(event);
    // The first step that starts at a top-level position is that step (or group), not one inside it.
    if (FLOW_EVENT.test(event.event) && event.event.endsWith('Started') && event.step_name && !this.steps.has(event.step_index)) this.steps.set(event.step_index, event.step_name);
    // Whatever its run does next comes after its text: the next answer gets a text of its own.
    this.texts.delete(event.run_id);
    const item = document.createElement('li');
    item.className = `event ${FLOW_EVENT.test(event.event) || event.event.startsWith('Workflow') ? 'flow' : 'executor'} event-${event.event}`;
    item.innerHTML = `<span class="index"></span> <span class="name"></span> <span class="who"></span><div class="body"></div>`;
    item.querySelector('.index').textContent = `#${event.event_index}`;
    item.querySelector('.name').textContent = event.event;
    item.querySelector('.who').textContent = [event.step_name, event.agent_name ?? event.team_name].filter(Boolean).join(' › ');
    this.describe(event, item.querySelector('.body'));
    this.element.querySelector('.timeline').append(item);
  }

  describe(event, body) {
    if (TOOL_CALLS.has(event.event)) {
      body.append(labelled('tool', event.tool.tool_name), expandable('arguments', JSON.stringify(event.tool.tool_args)));
      if (event.tool.result !== undefined) body.append(expandable(event.tool.tool_call_error ? 'error' : 'result', event.tool.result));
    } else if (MODEL_CALL_ENDS.has(event.event)) {
      body.append(labelled('model', `${event.model} · ${event.input_tokens} in / ${event.output_tokens} out`));
    } else if (event.error) {
      body.append(expandable('error', event.error));
    } else if (event.event === 'WorkflowCompleted' && event.content !== undefined) {
      body.append(expandable('content', typeof event.content === 'string' ? event.content : JSON.stringify(event.content)));
    }
  }

  /** The model's text of one agent's or team's run, growing as it streams. */
  addText(event) {
    let text = this.texts.get(event.run_id);
    // An answer's log starts with an empty chunk; an answer of tool calls only has no text to show.
    if (!text && !event.content) return;
    if (!text) {
      const item = document.createElement('li');
      item.className = 'event text';
      item.innerHTML = `<span class="index"></span> <span class="name">text</span> <span class="who"></span><pre class="streamed"></pre>`;
      item.querySelector('.who').textContent = [event.step_name, event.agent_name ?? event.team_name].filter(Boolean).join(' › ');
      this.element.querySelector('.timeline').append(item);
      text = { item, pre: item.querySelector('.streamed'), first: undefined, last: undefined };
      this.texts.set(event.run_id, text);
    }
    text.pre.textContent += event.content;
    if (typeof event.event_index === 'number') {
      text.first ??= event.event_index;
      text.last = event.event_index;
      text.item.querySelector('.index').textContent = text.first === text.last ? `#${text.first}` : `#${text.first}–${text.last}`;
    }
    // Whoever times the page's text (bench/console.ts) hears of each piece the moment it shows.
    window.dispatchEvent(new CustomEvent('console-text', { detail: event.content }));
  }

  dropText(event) {
    const text = this.texts.get(event.run_id);
    if (text) text.pre.textContent = text.pre.textContent.slice(0, Math.max(0, text.pre.textContent.length - event.discarded_length));
  }

  countTokens(event) {
    const counted = this.tokens.get(event.model) ?? { calls: 0, input: 0, output: 0, total: 0 };
    counted.calls += 1;
    counted.input += event.input_tokens ?? 0;
    counted.output += event.output_tokens ?? 0;
    counted.total += event.total_tokens ?? 0;
    this.tokens.set(event.model, counted);
    const table = this.element.querySelector('.tokens');
    table.hidden = false;
    table.querySelector('tbody').replaceChildren(
      ...[...this.tokens].map(([model, used]) => {
        const row = document.createElement('tr');
        for (const cell of [model, used.calls, used.input, used.output, used.total]) row.append(Object.assign(document.createElement('td'), { textContent: String(cell) }));
        return row;
      }),
    );
  }
}

function labelled(label, value) {
  const element = document.createElement('div');
  element.innerHTML = `<span class="label"></span> <code></code>`;
  element.querySelector('.label').textContent = label;
  element.querySelector('code').textContent = value;
  return element;
}

/** A value in full when short; else its start, and the whole behind a click. */
function expandable(label, value) {
  if (value.length <= SHOWN_CHARACTERS) return labelled(label, value);
  const details = document.createElement('details');
  details.innerHTML = `<summary><span class="label"></span> <code></code></summary><pre></pre>`;
  details.querySelector('.label').textContent = `${label} (${value.length} characters)`;
  details.querySelector('code').textContent = `${value.slice(0, SHOWN_CHARACTERS)}…`;
  details.querySelector('pre').textContent = value;
  return details;
}
