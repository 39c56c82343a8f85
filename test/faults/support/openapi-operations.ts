/** The operations of an OpenAPI 3.1 document, with their parameters and body schemas resolved. */

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  /** Values valid by one of these (and by the rest of the schema). */
  anyOf?: JsonSchema[];
  enum?: unknown[];
  additionalProperties?: unknown;
  $ref?: string;
  default?: unknown;
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  /** Upper-case method. */
  method: string;
  /** Path template, e.g. `/workflows/{workflow_id}/runs`. */
  template: string;
  /** `POST /workflows/{workflow_id}/runs` */
  name: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  headers: { name: string; schema: JsonSchema }[];
  body?: { schema: JsonSchema; contentTypes: string[] };
  /** Methods the document defines for this path. */
  pathMethods: string[];
}

export function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  return resolve(doc, target);
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const pathMethods = Object.keys(item).map((m) => m.toUpperCase());
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content;
      const first = content ? Object.values(content)[0] : undefined;
      ops.push({
        method: method.toUpperCase(),
        template,
        name: `${method.toUpperCase()} ${template}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
        headers: params.filter((p) => p.in === 'header').map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
        body: content && first ? { schema: resolve(doc, first.schema), contentTypes: Object.keys(content) } : undefined,
        pathMethods,
      });
    }
  }
  return ops;
}
