/** The last frame of a stream that cannot go on (SSE and the WebSocket alike). */
import { z } from 'zod';

/** The last frame of a stream that cannot go on: not an event of the run, so no event_index and no SSE id. */
export const StreamError = z
  .object({
    event: z.literal('error'),
    run_id: z.string(),
    error: z.string().describe('What stops the stream, e.g. which events are missing from the blob store.'),
  })
  .describe('Ends a stream that cannot go on (such as a run whose archived log segment is missing from the blob store); the WebSocket sends the same.');
