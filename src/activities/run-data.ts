/**
 * What activities keep beside Temporal: the big texts they produce (stored, a reference goes back
 * to the workflow) and the texts they are given by reference (read back before use). Workflow
 * code never touches the blob store; activities do, through this.
 *
 * A text that cannot be kept fails its call at once, named, and is not retried (the next attempt
 * would call the model or tool again only to fail the same way), with the words of the data
 * plane's result guard: over BLOB_MAX_BYTES, or refused by the store.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { describeCall } from '../data-plane/activity-result-guard.ts';
import { encodeSegment, runPrefix } from '../data-plane/blob-keys.ts';
import type { BlobStore } from '../data-plane/blob-store.ts';
import { RunTexts } from '../data-plane/run-texts.ts';
import type { TextScope } from '../data-plane/run-texts.ts';

export class RunData {
  readonly texts: RunTexts;
  /** The largest text a call may produce (BLOB_MAX_BYTES): a product limit, not Temporal's. */
  private readonly maxBytes: number;

  constructor(blobs: BlobStore, maxBytes: number) {
    this.texts = new RunTexts(blobs);
    this.maxBytes = maxBytes;
  }

  get blobs(): BlobStore {
    return this.texts.blobs;
  }

  /** The run of the current activity, and a key segment naming this call (the same for every attempt). */
  currentCall(kind: string): { namespace: string; workflowId: string; producer: string; prefix: string } {
    const info = Context.current().info;
    const execution = info.workflowExecution;
    if (!execution) throw ApplicationFailure.nonRetryable(`${info.activityType} runs only as part of a run.`, 'NotInRun');
    const producer = [kind, execution.runId, info.activityId].map(encodeSegment).join('_');
    return { namespace: info.namespace, workflowId: execution.workflowId, producer, prefix: runPrefix(info.namespace, execution.workflowId) };
  }

  /** The text itself when small, else a reference to it, stored under the current call's run. */
  async keep(text: string, kind: string, callArgument?: unknown): Promise<string> {
    const call = this.currentCall(kind);
    const what = () => `${describeCall(Context.current().info, callArgument)} returned ${Buffer.byteLength(text, 'utf8').toLocaleString('en-US')} bytes`;
    // A cheap test first: a string of n UTF-16 units has at most 3n UTF-8 bytes.
    if (text.length * 3 > this.maxBytes && Buffer.byteLength(text, 'utf8') > this.maxBytes) {
      throw ApplicationFailure.create({ type: 'PayloadTooLarge', message: `${what()}, more than the ${this.maxBytes.toLocaleString('en-US')} bytes a result may have (BLOB_MAX_BYTES).`, nonRetryable: true });
    }
    try {
      return await this.texts.keep(text, call);
    } catch (err) {
      const reason = ((err as Error).cause ?? err) as Error;
      throw ApplicationFailure.create({ type: 'BlobStoreUnavailable', message: `${what()}, which could not be stored in ${this.blobs.location}: ${reason.message}`, nonRetryable: true });
    }
  }

  /** The text with its references replaced by the texts they name (only the run's own, its children's and parents'). */
  expand(text: string): Promise<string> {
    return this.texts.expand(text, this.currentScope());
  }

  expandAll<T>(value: T): Promise<T> {
    return this.texts.expandAll(value, this.currentScope());
  }

  private currentScope(): TextScope {
    const { namespace, workflowId } = this.currentCall('read');
    return { namespace, runId: workflowId };
  }
}

/** A failure to store what a call produced: non-retryable, naming the call. */
export function storeFailure(err: unknown, callArgument: unknown): ApplicationFailure {
  const info = Context.current().info;
  return ApplicationFailure.create({
    type: 'BlobStoreUnavailable',
    message: `${describeCall(info, callArgument)}: ${(err as Error).message}`,
    nonRetryable: true,
  });
}
