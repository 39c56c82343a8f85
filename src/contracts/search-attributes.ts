/**
 * Search attributes of runs: they make runs listable and filterable by workflow, session, user,
 * status and current step, through the API and in the Temporal Web UI. Defined here (workflow-safe)
 * because the run's workflow keeps status and step up to date; `ensureSearchAttributes` in
 * src/engine registers them on the namespace, and so does deploy/temporal/register-namespace.sh
 * for an operator's server (test/deploy/temporal.test.ts keeps its list the same as this one).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const WORKFLOW_ID_ATTRIBUTE = defineSearchAttributeKey('AgentWorkflowId', SearchAttributeType.KEYWORD);
export const SESSION_ID_ATTRIBUTE = defineSearchAttributeKey('AgentSessionId', SearchAttributeType.KEYWORD);
export const USER_ID_ATTRIBUTE = defineSearchAttributeKey('AgentUserId', SearchAttributeType.KEYWORD);
export const RUN_STATUS_ATTRIBUTE = defineSearchAttributeKey('AgentRunStatus', SearchAttributeType.KEYWORD);
export const CURRENT_STEP_ATTRIBUTE = defineSearchAttributeKey('AgentCurrentStep', SearchAttributeType.KEYWORD);

/** The attributes a run starts with: whose it is, and PENDING until its workflow says more. */
export function initialRunAttributes(workflowId: string, sessionId: string, userId: string | undefined) {
  return [
    { key: WORKFLOW_ID_ATTRIBUTE, value: workflowId },
    { key: SESSION_ID_ATTRIBUTE, value: sessionId },
    ...(userId !== undefined ? [{ key: USER_ID_ATTRIBUTE, value: userId }] : []),
    { key: RUN_STATUS_ATTRIBUTE, value: 'PENDING' },
  ];
}

export const RUN_SEARCH_ATTRIBUTES = [
  WORKFLOW_ID_ATTRIBUTE,
  SESSION_ID_ATTRIBUTE,
  USER_ID_ATTRIBUTE,
  RUN_STATUS_ATTRIBUTE,
  CURRENT_STEP_ATTRIBUTE,
];
