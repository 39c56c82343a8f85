/**
 * The console's calls to the API: fetch with the viewer's key as a bearer (when the API asks for
 * one), and SSE streams (a run's events, the run list's changes) read from a fetch body, since
 * EventSource cannot send a bearer.
 */

const KEY_ITEM = 'durable-agents-console-key';

export class Unauthorized extends Error {}

export class Api {
  constructor() {
    this.key = sessionStorage.getItem(KEY_ITEM) ?? '';
  }

  setKey(key) {
    this.key = key;
    sessionStorage.setItem(KEY_ITEM, key);
  }

  headers(extra = {}) {
    return this.key ? { ...extra, authorization: `Bearer ${this.key}` } : extra;
  }

  /** The response, or an error carrying the API's `detail` (and the `status`); a 401 is an `Unauthorized`. */
  async send(method, path, { body, signal, headers } = {}) {
    const response = await fetch(path, {
      method,
      signal,
      headers: this.headers(body === undefined ? headers : { ...headers, 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) throw new Unauthorized('This API needs a key.');
    if (!response.ok) {
      const detail = await response.json().then((answer) => answer.detail, () => response.statusText);
      throw Object.assign(new Error(`${method} ${path}: ${response.status} ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`), { status: response.status });
    }
    return response;
  }

  async json(method, path, options) {
    return (await this.send(method, path, options)).json();
  }

  /**
   * The run's events after `after` (an event index), one at a time, with live text frames between
   * them; ends with the log's terminal event or when `signal` aborts.
   */
  async *events(workflowId, runId, after, signal) {
    for await (const frame of this.frames(`${runPath(workflowId, runId)}/events?after=${after}`, signal)) {
      // The server's word that the stream cannot go on (not an event of the run).
      if (frame.name === 'error') throw new Error(`The run's stream failed: ${frame.data.error}`);
      yield frame.data;
    }
  }

  /** An SSE stream's frames (`{ name, data }`, data parsed as JSON) until it ends or `signal` aborts. */
  async *frames(path, signal) {
    const response = await this.send('GET', path, { signal, headers: { accept: 'text/event-stream' } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let data = [];
    let name = 'message';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length) yield { name, data: JSON.parse(data.join('\n')) };
          data = [];
          name = 'message';
        } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        else if (line.startsWith('event:')) name = line.slice(6).trim();
      }
    }
  }
}

export function runPath(workflowId, runId) {
  return `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}`;
}

/** The Temporal Web UI's page of the run, from the `Link` header the API sets on answers about a run. */
export function webUiLink(response) {
  return /<([^>]+)>;\s*rel="temporal-ui"/.exec(response.headers.get('link') ?? '')?.[1];
}
