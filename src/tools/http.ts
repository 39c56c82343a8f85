/**
 * HTTP for tools: the call's abort signal, a User-Agent services accept, and errors a model can
 * read (the service's status and message, "did not answer in time", "could not be reached")
 * instead of fetch's bare `TypeError: fetch failed` or `AbortError`.
 */
export const USER_AGENT = 'Mozilla/5.0 (compatible; durable-agents/0.1)';

/** A service answered with a status other than 2xx. */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly url: string;
  /** The start of the answer's body (up to 2,000 characters), for services that explain errors in it. */
  readonly body: string;
  constructor(url: string, status: number, statusText: string, body: string) {
    super(`${hostOf(url)} answered ${status}${statusText ? ` ${statusText}` : ''}${body ? `: ${oneLine(body).slice(0, 200)}` : ''}`);
    this.name = 'HttpStatusError';
    this.status = status;
    this.url = url;
    this.body = body;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** fetch's failures as readable errors: the timeout or abort of the call, or why the host could not be reached. */
function readableFailure(url: string, signal: AbortSignal, err: unknown): Error {
  const host = hostOf(url);
  if (signal.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    const message = reason?.name === 'TimeoutError' ? `${host} did not answer before the timeout` : `the request to ${host} was aborted`;
    return new Error(message, { cause: signal.reason });
  }
  if (err instanceof Error && err.name === 'AbortError') return new Error(`the request to ${host} was aborted`, { cause: err });
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new Error(`${host} could not be reached: ${detail}`, { cause: err });
}

/** Reads a body, turning an abort while reading into the same readable error as one before the answer. */
export async function readText(response: Response, url: string, signal: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (err) {
    throw readableFailure(url, signal, err);
  }
}

/** `fetch` with the signal, the default headers (`init.headers`, a plain object with lower-case names, override them) and readable errors; any status. */
export async function fetchAnyStatus(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal, headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...init.headers } });
  } catch (err) {
    throw readableFailure(url, signal, err);
  }
}

/** As `fetchAnyStatus`, but answers other than 2xx throw `HttpStatusError`. */
export async function fetchResponse(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<Response> {
  const response = await fetchAnyStatus(url, signal, init);
  if (!response.ok) throw new HttpStatusError(url, response.status, response.statusText, (await readText(response, url, signal)).slice(0, 2_000));
  return response;
}

/** GETs (or `init`) JSON; invalid JSON is an error naming the host and the start of what it sent. */
export async function fetchJson(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<unknown> {
  const response = await fetchResponse(url, signal, init);
  const text = await readText(response, url, signal);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${hostOf(url)} answered with invalid JSON: ${JSON.stringify(oneLine(text).slice(0, 80))}`);
  }
}

/** A base URL from an option or variable; an empty variable (as docker-compose passes unset ones) means "not set". */
export function baseUrl(option: string | undefined, variable: string | undefined, fallback: string): string {
  return (option || variable || fallback).replace(/\/+$/, '');
}
