/** `GET /docs`: Swagger UI rendering /openapi.json (public, as the document is). */
import { swaggerUI } from '@hono/swagger-ui';
import { defineRoute } from '../http/route.ts';
import { answer } from '../openapi/parts.ts';

const page = swaggerUI({ url: '/openapi.json', title: 'durable-agents API' });

export const docsPage = defineRoute<unknown>()({
  method: 'get',
  path: '/docs',
  operation: () => ({ summary: 'Docs page rendering this document', responses: { '200': answer('HTML page', { 'text/html': { schema: { type: 'string' } } }) } }),
  // The page is a middleware that always answers: nothing comes after it.
  handle: async (c) => (await page(c as never, async () => {})) as Response,
});
