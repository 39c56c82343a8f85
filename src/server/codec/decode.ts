/**
 * `POST /codec/decode`: Temporal's remote codec protocol, for its Web UI. Claims in a run's
 * history come back as the payloads they stand for, text references as their texts, and anything
 * over the display cap cut with a marker (src/data-plane/payload-view.ts). For admins only (the
 * route's scope, src/server/auth/route-scopes.ts): a history is every user's.
 */
import { blobDriverOf } from '../../data-plane/data-converter.ts';
import { viewPayloads } from '../../data-plane/payload-view.ts';
import { engineData } from '../../engine/engine-data.ts';
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, json, jsonBody, ref } from '../openapi/parts.ts';
import { CodecPayloads, fromCodecJson, toCodecJson } from './schemas.ts';

export const decodePayloads = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/codec/decode',
  operation: () => ({
    summary: "Show payloads of Temporal's histories as content (Temporal's remote codec protocol, for its Web UI)",
    requestBody: jsonBody('CodecPayloads'),
    responses: { '200': answer('The payloads, claims resolved and text references expanded', json(ref('CodecPayloadsResponse'))), ...bodyErrors('json') },
  }),
  body: { schema: CodecPayloads, accepts: 'json' },
  async handle(c, deps, { body }) {
    const client = deps.engine.client;
    const payloads = await viewPayloads(body.payloads.map(fromCodecJson), {
      driver: blobDriverOf(client.options.loadedDataConverter),
      texts: engineData(client).texts,
      maxBytes: deps.codecMaxBytes,
    });
    return c.json({ payloads: payloads.map(toCodecJson) });
  },
});
