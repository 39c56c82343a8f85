/** `GET /openapi.json`: the API's description (public even with auth on: it describes shapes, never data). */
import { defineRoute } from '../http/route.ts';
import type { Json } from '../http/route.ts';
import { answer, json } from '../openapi/parts.ts';

export interface DocumentDeps {
  /** The OpenAPI document, collected from every route (src/server/openapi/document.ts). */
  document: Json;
}

export const openApiJson = defineRoute<DocumentDeps>()({
  method: 'get',
  path: '/openapi.json',
  operation: () => ({ summary: 'This document', responses: { '200': answer('The OpenAPI document', json({ type: 'object' })) } }),
  handle: (c, deps) => c.json(deps.document),
});
