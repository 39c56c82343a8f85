/** HTTP for tools: the call's abort signal, a User-Agent services accept, readable errors. */
export const USER_AGENT = 'Mozilla/5.0 (compatible; durable-agents/0.1)';

export class HttpStatusError extends Error {
  readonly status: number;
  constructor(url: string, status: number, statusText: string, body: string) {
    super(`${new URL(url).host} answered ${status} ${statusText}${body ? `: ${body}` : ''}`);
    this.status = status;
  }
}

export async function fetchResponse(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, signal, headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...init.headers } });
  if (!response.ok) throw new HttpStatusError(url, response.status, response.statusText, (await response.text()).slice(0, 200));
  return response;
}

export async function fetchJson(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<unknown> {
  const response = await fetchResponse(url, signal, init);
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${new URL(url).host} answered with invalid JSON: ${text.slice(0, 80)}`);
  }
}

/** A base URL from an option or variable; an empty variable (as docker-compose passes unset ones) means "not set". */
export function baseUrl(option: string | undefined, variable: string | undefined, fallback: string): string {
  return (option || variable || fallback).replace(/\/+$/, '');
}
