/**
 * Checks every activity's result before the worker reports it, so that a result that cannot be
 * kept fails its run at once, named, instead of being retried.
 *
 * Left to the SDK, a result the blob store refuses (or one over Temporal's 2 MB when nothing
 * offloads it) fails the activity *retryably* after the fact: the model or tool is called again,
 * up to the retry limit, and the error names neither the call nor the size. Here, inside the
 * activity, the result is encoded as the SDK will encode it:
 * - over `maxBytes` (BLOB_MAX_BYTES) it is a non-retryable `PayloadTooLarge` failure;
 * - over the claim-check threshold it is stored now; a store that fails is a non-retryable
 *   `BlobStoreUnavailable` failure. Stored here, the SDK's own store of the same bytes finds the
 *   key already written (content addressing) and does not write it again.
 */
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import type { Info } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { blobDriverOf } from './data-converter.ts';
import { encodePayload } from './storage-driver.ts';

export function activityResultGuard(converter: DataConverter, maxBytes: number): ActivityInterceptorsFactory {
  const driver = blobDriverOf(converter);
  const threshold = converter.externalStorage?.payloadSizeThreshold ?? Infinity;
  return (context) => ({
    inbound: {
      async execute(input, next) {
        const result = await next(input);
        const bytes = encodePayload(defaultPayloadConverter.toPayload(result));
        const size = bytes.byteLength;
        if (size < threshold && size <= maxBytes) return result;
        const info = context.info;
        const what = `${describeCall(info, input.args[0])} returned ${size.toLocaleString('en-US')} bytes`;
        if (size > maxBytes) {
          throw ApplicationFailure.create({
            type: 'PayloadTooLarge',
            message: `${what}, more than the ${maxBytes.toLocaleString('en-US')} bytes a result may have (BLOB_MAX_BYTES).`,
            nonRetryable: true,
          });
        }
        if (!driver) return result;
        try {
          await driver.storeOne({ target: storageTarget(info) }, bytes);
        } catch (err) {
          // No `cause`: the run reports the innermost message, and this one names the call.
          const reason = ((err as Error).cause ?? err) as Error;
          throw ApplicationFailure.create({ type: 'BlobStoreUnavailable', message: `${what}, which could not be stored in ${driver.blobs.location}: ${reason.message}`, nonRetryable: true });
        }
        return result;
      },
    },
  });
}

/** The call as a person reads it: `tool get_report (activity callTool 7) of run …`. */
export function describeCall(info: Info, firstArg: unknown): string {
  const arg = (typeof firstArg === 'object' && firstArg !== null ? firstArg : {}) as Record<string, unknown>;
  const subject =
    typeof arg.toolName === 'string' ? `tool ${arg.toolName}` : typeof arg.ref === 'string' ? `function ${arg.ref}` : typeof arg.callId === 'string' ? `model call ${arg.callId}` : undefined;
  const activity = `activity ${info.activityType} ${info.activityId}`;
  const run = info.workflowExecution ? ` of run ${info.workflowExecution.workflowId}` : '';
  return `${subject ? `${subject} (${activity})` : activity}${run}`;
}

/** The same target the worker gives its own store of this result, so both write one key. */
function storageTarget(info: Info) {
  return info.workflowExecution
    ? { kind: 'workflow' as const, namespace: info.namespace, id: info.workflowExecution.workflowId, runId: info.workflowExecution.runId, type: info.workflowType }
    : { kind: 'activity' as const, namespace: info.namespace, id: info.activityId, type: info.activityType };
}
