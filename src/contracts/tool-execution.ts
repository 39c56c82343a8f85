/**
 * A tool call as agents' and teams' events and runs show it: its own file, since both the events
 * and the runs (executor-runs.ts) carry it. Declared once as the wire's schema
 * (wire-schemas/run-parts.ts); imported as a type only.
 */
import type { z } from 'zod';
import type * as wire from './wire-schemas/run-parts.ts';

/** A tool call as Agno's `ToolExecution.to_dict()` shows it (Agno's null fields are left out). */
export type ToolExecution = z.output<typeof wire.ToolExecution>;

/** One tool call a paused run waits on: Agno's `RunRequirement.to_dict()`. */
export type RunRequirement = z.output<typeof wire.RunRequirement>;

/** One argument of a tool a person fills in: Agno's `UserInputField.to_dict()`. */
export type UserInputField = z.output<typeof wire.UserInputField>;
