/**
 * Every answer an API test sees, checked against the server's own `/openapi.json`: the status is
 * one the operation declares, the content type one it declares for that status, a JSON body is
 * valid against its schema and each SSE frame against the stream's `itemSchema` (the frame, then
 * its `data` against the event's `contentSchema`). A mismatch fails the request that got it: the
 * test's `fetch` rejects, or its read of the stream errors, naming the request and the mismatch.
 *
 * It wraps the global `fetch` for the server's URL only, so tests keep using plain `fetch`.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parseSse } from '../../src/client/sse-parser.ts';
import type { SseFrame } from '../../src/client/sse-parser.ts';

type Json = Record<string, any>;

export interface Conformance {
  /** Responses checked so far, and SSE frames among them. */
  readonly checked: { responses: number; frames: number };
  /** Every mismatch seen (each also failed its request). */
  readonly mismatches: string[];
  /** Puts the original `fetch` back. */
  detach(): void;
}

const pointer = (...parts: string[]) => '#/' + parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

class DocumentChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false });
  private readonly paths: { template: string; match: RegExp }[];
  private readonly doc: Json;
  constructor(doc: Json) {
    this.doc = doc;
    addFormats.default(this.ajv);
    this.ajv.addSchema(doc, 'openapi.json');
    this.paths = Object.keys(doc.paths).map((template) => ({
      template,
      match: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  /** The document's value at a JSON pointer (`#/a/b`). */
  private at(at: string): Json {
    return at
      .slice(2)
      .split('/')
      .reduce((value: Json, part) => value?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], this.doc);
  }

  private validator(at: string): ValidateFunction {
    const validate = this.ajv.getSchema(`openapi.json${at}`);
    if (!validate) throw new Error(`no schema at ${at}`);
    return validate;
  }

  private check(at: string, value: unknown): string | undefined {
    const validate = this.validator(at);
    return validate(value) ? undefined : this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }

  /** Where the document describes this answer, or why it does not. */
  response(method: string, path: string, status: number): { at: string; content?: Json } | { error: string } {
    // A literal path wins over a template (`/runs` is not `{workflow_id}`).
    const found = this.paths.find((p) => p.template === path) ?? this.paths.find((p) => p.match.test(path));
    const op = method === 'HEAD' ? 'get' : method.toLowerCase();
    const operation = found && this.doc.paths[found.template][op];
    if (!found || !operation) {
      // Undeclared paths and methods: 404 / 405 with an error body.
      if (status !== (found ? 405 : 404)) return { error: `${method} ${path} is not in the document, yet answered ${status}` };
      return { at: pointer('components', 'schemas', 'Error'), content: { 'application/json': { schema: {} } } };
    }
    const declared = operation.responses[String(status)] ?? operation.responses.default;
    if (!declared) return { error: `status ${status} is not declared for ${method} ${found.template} (declared: ${Object.keys(operation.responses).join(', ')})` };
    const key = operation.responses[String(status)] ? String(status) : 'default';
    return { at: pointer('paths', found.template, op, 'responses', key, 'content'), content: declared.content };
  }

  json(at: string, mediaType: string, body: unknown): string | undefined {
    return this.check(at.endsWith('/content') ? `${at}/${pointer(mediaType).slice(2)}/schema` : at, body);
  }

  /** A frame against the stream's itemSchema: its branch by `event`, then its `data` against that branch's contentSchema. */
  frame(at: string, frame: SseFrame): string | undefined {
    let itemAt = `${at}/${pointer('text/event-stream').slice(2)}/itemSchema`;
    while (this.at(itemAt).$ref) itemAt = this.at(itemAt).$ref;
    const item = this.at(itemAt);
    const value = { event: frame.event, data: frame.data, ...(frame.id !== undefined ? { id: frame.id } : {}) };
    const branches: string[] = item.oneOf ? item.oneOf.map((_: unknown, i: number) => `${itemAt}/oneOf/${i}`) : [itemAt];
    const matching = branches.filter((branch) => this.validator(branch)(value));
    if (matching.length !== 1) return `SSE frame ${JSON.stringify(value).slice(0, 300)} matches ${matching.length} of the ${branches.length} frame schemas`;
    const branch = this.at(matching[0]!);
    if (!branch.properties?.data?.contentSchema) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(frame.data);
    } catch {
      return `SSE frame data is not JSON: ${frame.data.slice(0, 200)}`;
    }
    const problem = this.check(`${matching[0]}/properties/data/contentSchema`, data);
    return problem && `SSE ${frame.event} frame: ${problem} in ${frame.data.slice(0, 500)}`;
  }
}

/**
 * The stream, passed through as it is read, with each SSE frame checked on the side: a frame that
 * does not conform errors the stream. When the test stops reading, the check stops too.
 */
function checkFrames(body: ReadableStream<Uint8Array>, check: (frame: SseFrame) => Error | undefined): ReadableStream<Uint8Array> {
  const feed = new TransformStream<Uint8Array, Uint8Array>();
  const feeder = feed.writable.getWriter();
  let passing: TransformStreamDefaultController<Uint8Array> | undefined;
  const checking = (async () => {
    for await (const frame of parseSse(feed.readable)) {
      const mismatch = check(frame);
      if (mismatch) throw mismatch;
    }
  })();
  checking.catch((err: unknown) => {
    try {
      passing?.error(err);
    } catch {
      // The stream has ended or was cancelled already.
    }
  });
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller: TransformStreamDefaultController<Uint8Array>) {
        passing = controller;
      },
      async transform(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>) {
        await feeder.write(chunk);
        controller.enqueue(chunk);
      },
      async flush() {
        await feeder.close();
        await checking; // a bad last frame fails the end of the read
      },
      cancel() {
        void feeder.abort().catch(() => undefined);
      },
    } as ConstructorParameters<typeof TransformStream<Uint8Array, Uint8Array>>[0]),
  );
}

/** Fetches `${baseUrl}/openapi.json` and checks every later answer from `baseUrl` against it. */
export async function checkResponsesAgainstOpenApi(baseUrl: string): Promise<Conformance> {
  const original = globalThis.fetch;
  const doc = (await (await original(`${baseUrl}/openapi.json`)).json()) as Json;
  const checker = new DocumentChecker(doc);
  const checked = { responses: 0, frames: 0 };
  const mismatches: string[] = [];
  const origin = new URL(baseUrl).origin;

  const fail = (what: string, problem: string) => {
    const message = `OpenAPI mismatch: ${what}: ${problem}`;
    mismatches.push(message);
    return new Error(message);
  };

  globalThis.fetch = async function conformingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const response = await original(input, init);
    if (url.origin !== origin) return response;
    const what = `${request.method} ${url.pathname}${url.search} → ${response.status}`;
    checked.responses++;
    const described = checker.response(request.method, url.pathname, response.status);
    if ('error' in described) throw fail(what, described.error);
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (request.method === 'HEAD' || !described.content) return response;
    if (!(mediaType in described.content)) throw fail(what, `content type ${mediaType || '(none)'} is not declared (declared: ${Object.keys(described.content).join(', ')})`);
    const keepUrl = (copy: Response) => Object.defineProperty(copy, 'url', { value: response.url });
    if (mediaType === 'text/event-stream') {
      const body = checkFrames(response.body!, (frame) => {
        checked.frames++;
        const problem = checker.frame(described.at, frame);
        return problem ? fail(what, problem) : undefined;
      });
      return keepUrl(new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }));
    }
    const text = await response.text();
    if (mediaType === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw fail(what, `body is not JSON: ${text.slice(0, 200)}`);
      }
      const problem = checker.json(described.at, mediaType, parsed);
      if (problem) throw fail(what, `${problem}; body ${text.slice(0, 500)}`);
    }
    return keepUrl(new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers }));
  };

  return {
    checked,
    mismatches,
    detach: () => {
      globalThis.fetch = original;
    },
  };
}
