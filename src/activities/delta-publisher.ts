/**
 * Publishes a model call attempt's token deltas on the live lane the moment they arrive, and
 * remembers how the answer was cut into them, so that the workflow can append the same pieces to
 * the run's log from the call's result (one history event for the whole answer, however long).
 *
 * Nothing here waits: the lane queues and may drop (see src/live/lane.ts). Offsets count the
 * characters of this attempt's answer, so readers can tell a repeat or a gap, and a new attempt
 * (a retry) starts again from 0.
 */
import type { LiveContentTemplate } from '../contracts/live.ts';
import type { ModelCallResult } from '../contracts/activities.ts';
import type { LiveLane } from '../live/lane.ts';

export interface DeltaPublisherOptions {
  lane: LiveLane;
  runId: string;
  callId: string;
  attempt: number;
  /** What the deltas become in the run's log; without it, nothing is published (the call's workflow predates the lane). */
  template: LiveContentTemplate | undefined;
}

export class DeltaPublisher {
  private readonly options: DeltaPublisherOptions;
  private readonly segments: number[] = [];
  private text = '';

  constructor(options: DeltaPublisherOptions) {
    this.options = options;
  }

  push(delta: string): void {
    if (!delta) return;
    const offset = this.text.length;
    this.text += delta;
    this.segments.push(delta.length);
    const { lane, runId, callId, attempt, template } = this.options;
    if (!template) return;
    lane.publish({ kind: 'delta', runId, callId, attempt, offset, text: delta, at: Date.now(), ...(offset === 0 ? { template } : {}) });
  }

  /** The attempt has returned: readers may look for its answer in the run's log. */
  end(): void {
    const { lane, runId, callId, attempt, template } = this.options;
    if (template) lane.publish({ kind: 'ended', runId, callId, attempt });
  }

  /**
   * How `content` streamed, if it is exactly the text published: otherwise (a provider whose
   * final answer differs from its deltas) undefined, and readers replace the live text.
   */
  streamed(content: string): ModelCallResult['streamed'] {
    if (this.segments.length === 0 || content !== this.text) return undefined;
    return { attempt: this.options.attempt, segments: [...this.segments] };
  }
}
