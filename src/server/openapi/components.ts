/**
 * The named schemas of the OpenAPI document (`#/components/schemas`): requests on their input
 * side, answers and events on their output side, each generated once from the zod schema that
 * validates or types it; shared ones become `$ref`s. The app names the routes' schemas; the run's
 * events and the SSE frames of its stream, event by event, are added here.
 */
import { z } from 'zod';
import { EVENT_NAMES } from '../../contracts/events.ts';
import { EVENT_SCHEMAS, LIVE_EVENT_SCHEMAS } from '../../contracts/wire-schemas/events.ts';
import { OWN_EVENT_SCHEMAS, OWN_FRAME_DATA } from '../runnables/event-schemas.ts';
import { StreamError } from '../wire/stream-error.ts';
import { ref } from './parts.ts';
import type { Json } from './parts.ts';

/** The schemas the routes name, by their names in the document: requests, and answers (before the events, which are added here). */
export interface NamedSchemas {
  requests: Record<string, z.ZodType>;
  responses: Record<string, z.ZodType>;
}

/** Named schemas in `#/components/schemas`, each generated once; shared ones become `$ref`s. */
export function componentSchemas(named: NamedSchemas): Record<string, Json> {
  const generate = (io: 'input' | 'output', named: Record<string, z.ZodType>) => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
    const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
    return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema as Json]));
  };
  const requests = generate('input', named.requests);
  const responses = generate('output', { ...named.responses, ...EVENT_SCHEMAS, ...LIVE_EVENT_SCHEMAS, ...OWN_EVENT_SCHEMAS, StreamError });
  // A frame's data by its SSE event name: content events may be live text too, and live text can be withdrawn.
  const frameData: Record<string, Json> = {
    ...Object.fromEntries(EVENT_NAMES.map((name) => [name, ref(name)])),
    RunContent: { oneOf: [ref('RunContent'), ref('LiveRunContent')] },
    TeamRunContent: { oneOf: [ref('TeamRunContent'), ref('LiveTeamRunContent')] },
    RunContentDiscarded: ref('RunContentDiscarded'),
    TeamRunContentDiscarded: ref('TeamRunContentDiscarded'),
    error: ref('StreamError'),
  };
  return {
    ...requests,
    ...responses,
    RunEvent: {
      description: 'One event of a run (an SSE frame’s data); `event` tells which, and which fields it has.',
      oneOf: EVENT_NAMES.map(ref),
      discriminator: { propertyName: 'event', mapping: Object.fromEntries(EVENT_NAMES.map((name) => [name, ref(name).$ref])) },
    },
    RunEventFrame: eventFrame(
      'One SSE frame of a run’s stream: `event` is the event’s name, `data` the event as one line of compact JSON, ' +
        '`id` the position to send back as Last-Event-ID (the event_index of the newest event, then the live text held). ' +
        'Live text of a model call comes as RunContent / TeamRunContent without event_index; *Discarded withdraws it. `: heartbeat` comments come between frames. ' +
        'A stream that cannot go on ends with an `error` frame (no id) instead of the terminal event.',
      frameData,
    ),
    OwnRunEventFrame: eventFrame(
      'One SSE frame of an agent’s or team’s own run (`/agents`, `/teams`), as RunEventFrame, with the agent’s and team’s events alone, as Agno streams them.',
      Object.fromEntries(Object.entries(OWN_FRAME_DATA).map(([name, ids]) => [name, Array.isArray(ids) ? { oneOf: ids.map(ref) } : ref(ids)])),
    ),
  };
}

/** The frames of a stream, one kind per SSE event name, each with its data's schema. */
function eventFrame(description: string, frameData: Record<string, Json>): Json {
  return {
    description,
    oneOf: Object.entries(frameData).map(([name, data]) => ({
      type: 'object',
      required: ['event', 'data'],
      properties: {
        event: { const: name },
        id: { type: 'string' },
        data: { type: 'string', contentMediaType: 'application/json', contentSchema: data },
      },
    })),
  };
}
