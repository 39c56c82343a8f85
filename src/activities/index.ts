/** Every activity a worker registers, bound to the worker's registry and Temporal client. */
import type { Client } from '@temporalio/client';
import type { Registry } from '../registry/registry.ts';
import type { LiveLane } from '../live/lane.ts';
import { createUserFunctions } from './function-step.ts';
import { createModelCall } from './model-call.ts';
import { createToolCall } from './tool-call.ts';

export interface ActivityDeps {
  registry: Registry;
  temporal: Client;
  env?: NodeJS.ProcessEnv;
  /** Where model calls publish token deltas; default the process's lane. */
  live?: LiveLane;
}

export function createActivities(deps: ActivityDeps) {
  return {
    callModel: createModelCall(deps),
    callTool: createToolCall(deps),
    ...createUserFunctions(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
