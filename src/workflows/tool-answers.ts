/**
 * The answers to the tool calls an agent's own run waits on (see tool-pauses.ts), sent by the
 * engine as an update: its validator refuses, without a trace in history, what the run cannot
 * take (it is not waiting at tools, their answers were taken already, an answer is missing or
 * does not fit its call), as for a step's answers (run-answers.ts).
 * Deterministic code: the handler only reads and sets workflow state.
 */
import { setHandler } from '@temporalio/workflow';
import type { RunRequirement, RunState, ToolExecution, UserInputField } from '../contracts/events.ts';
import { toolAnswersUpdate } from '../contracts/run-workflow-api.ts';
import type { ToolAnswersTaken } from '../contracts/run-workflow-api.ts';
import type { EventLog } from './event-log.ts';
import { take } from './run-answers.ts';
import type { RunInbox, Verdict } from './run-answers.ts';

export function receiveToolAnswers(state: RunState, log: EventLog, inbox: RunInbox): void {
  const judge = (given: ToolExecution[]): Verdict<RunRequirement[]> => {
    const runId = state.run_id;
    if (inbox.tools) return { refused: `The tool calls of run ${runId} are answered already.`, as: 'AnswerRefused' };
    const waiting = state.status === 'PAUSED' ? state.tool_requirements : undefined;
    if (!waiting) return { refused: `Run ${runId} is not paused at a tool (it is ${state.status}).`, as: 'AnswerRefused' };
    if (!Array.isArray(given) || !given.every((tool) => typeof tool === 'object' && tool !== null && typeof tool.tool_call_id === 'string')) {
      return { refused: 'tools must be a list of tool executions, each with a tool_call_id.', as: 'AnswerInvalid' };
    }
    const answers: RunRequirement[] = [];
    for (const requirement of waiting) {
      const answer = answerTo(requirement, given.find((tool) => tool.tool_call_id === requirement.tool_execution.tool_call_id));
      if (typeof answer === 'string') return { refused: answer, as: 'AnswerInvalid' };
      answers.push(answer);
    }
    return { taken: answers };
  };
  setHandler(
    toolAnswersUpdate,
    (given): ToolAnswersTaken => {
      const answers = take(judge(given));
      inbox.tools = answers;
      return { answers, lastEventIndex: log.lastIndex };
    },
    { validator: (given) => void take(judge(given)) },
  );
}

/** The requirement answered by `given`, or why `given` does not answer it. */
function answerTo(requirement: RunRequirement, given: ToolExecution | undefined): RunRequirement | string {
  const asked = requirement.tool_execution;
  const which = `tool call ${asked.tool_call_id} (${asked.tool_name})`;
  if (!given) return `tools must answer ${which}.`;
  const answer: RunRequirement = { ...requirement };
  if (asked.requires_confirmation) {
    if (typeof given.confirmed !== 'boolean') return `${which} needs confirmed: true or false.`;
    answer.confirmation = given.confirmed;
    if (typeof given.confirmation_note === 'string') answer.confirmation_note = given.confirmation_note;
    if (!given.confirmed) return answer;
  }
  if (asked.external_execution_required) {
    if (typeof given.result !== 'string') return `${which} runs elsewhere: its result is needed (a string).`;
    answer.external_execution_result = given.result;
  }
  if (asked.requires_user_input) {
    const filled = filledFields(requirement.user_input_schema ?? [], given);
    const missing = filled.filter((field) => field.value === undefined || field.value === null).map((field) => field.name);
    if (missing.length > 0) return `${which} needs a value for ${missing.join(', ')} in user_input_schema.`;
    answer.user_input_schema = filled;
  }
  return answer;
}

/** The asked fields with the values given (in `user_input_schema`, as Agno's clients send them, or in `tool_args`). */
function filledFields(asked: UserInputField[], given: ToolExecution): UserInputField[] {
  const values = new Map((Array.isArray(given.user_input_schema) ? given.user_input_schema : []).map((field) => [field.name, field.value]));
  return asked.map((field) => {
    const value = values.get(field.name) ?? (given.tool_args && typeof given.tool_args === 'object' ? given.tool_args[field.name] : undefined) ?? field.value;
    return { ...field, value };
  });
}
