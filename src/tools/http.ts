/** JSON over HTTP for tools, with the call's abort signal and a readable error on failure. */
export async function fetchJson(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, { ...init, signal, headers: { accept: 'application/json', ...init.headers } });
  if (!response.ok) {
    const body = (await response.text()).slice(0, 200);
    throw new Error(`${new URL(url).host} answered ${response.status} ${response.statusText}${body ? `: ${body}` : ''}`);
  }
  return response.json();
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
