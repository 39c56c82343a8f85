/**
 * A loopback OTLP/HTTP trace receiver, as an OpenTelemetry collector's `otlp` receiver on port
 * 4318: `POST /v1/traces`. Requests in OTLP/JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) are
 * decoded into spans; protobuf ones are counted, not decoded; anything else is refused as the
 * collector refuses it (404 for another path, 405 for another method, 415 for another type).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One span as received, with its attributes (and its resource's `service.name`) as plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a trace's root. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, ... */
  kind: number;
  attributes: Record<string, unknown>;
  service: string;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

export interface OtlpCollector {
  /** The base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  url: string;
  /** Every span received in OTLP/JSON so far, in order. */
  spans: ReceivedSpan[];
  /** The content type of each accepted export request, in order. */
  requestTypes: string[];
  close(): Promise<void>;
}

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: AnyValue[] }; kvlistValue?: { values?: KeyValue[] } };
type KeyValue = { key: string; value?: AnyValue };
interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number; attributes?: KeyValue[]; status?: { code?: number } }[] }[];
  }[];
}

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: ReceivedSpan[] = [];
  const requestTypes: string[] = [];
  const server = createServer((req, res) => void receive(req, res));
  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/v1/traces') return answer(res, 404, { message: `no receiver at ${path}` });
    if (req.method !== 'POST') return answer(res, 405, { message: `${req.method} is not allowed` });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (type === 'application/x-protobuf') {
      requestTypes.push(type);
      return answer(res, 200, {});
    }
    if (type !== 'application/json') return answer(res, 415, { message: `unsupported content type ${type}` });
    let body: ExportTraceServiceRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportTraceServiceRequest;
    } catch {
      return answer(res, 400, { message: 'the body is not JSON' });
    }
    requestTypes.push(type);
    spans.push(...spansOf(body));
    answer(res, 200, {});
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requestTypes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function spansOf(request: ExportTraceServiceRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind ?? 0,
        attributes: attributesOf(span.attributes),
        service,
        statusCode: span.status?.code ?? 0,
      })),
    );
  });
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, plain(value)]));
}

function plain(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return undefined;
}
