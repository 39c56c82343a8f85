/**
 * Activities of the durable floor (see workflows.ts): a model call that makes the same streamed
 * Responses API request through the same `openai` client to the same fake, and tool calls that
 * make the same HTTP requests as HackerNewsTools and YFinanceTools. Nothing else: no heartbeats,
 * no delta signals, no argument validation.
 *
 * The fake tells floor requests apart by their model id, `floor-<caller>-<turn>`, and answers
 * each with the reply the content-creation script gives that caller and turn (`floorReply`), so
 * both workflows receive the same bytes.
 */
import OpenAI from 'openai';

export interface FloorModelInput {
  /** `<caller>-<turn>`, e.g. `leader-1`. */
  call: string;
  input: string;
}

export interface FloorModelResult {
  content: string;
  toolCalls: { id: string; name: string; arguments: string }[];
}

export interface FloorEndpoints {
  openaiBaseUrl: string;
  hackernewsUrl: string;
  yahooUrl: string;
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

export function createFloorActivities(endpoints: FloorEndpoints) {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: endpoints.openaiBaseUrl, maxRetries: 0, timeout: 10 * 60_000 });
  return {
    async floorModel({ call, input }: FloorModelInput): Promise<FloorModelResult> {
      const stream = await client.responses.create({ model: `floor-${call}`, input: [{ role: 'user', content: input }], stream: true });
      for await (const event of stream) {
        if (event.type !== 'response.completed') continue;
        let content = '';
        const toolCalls: FloorModelResult['toolCalls'] = [];
        for (const item of event.response.output) {
          if (item.type === 'message') for (const part of item.content) if (part.type === 'output_text') content += part.text;
          if (item.type === 'function_call') toolCalls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
        }
        return { content, toolCalls };
      }
      throw new Error('the stream ended before the response completed');
    },
    async floorTool({ tool }: { tool: 'hackernews' | 'yahoo' }): Promise<string> {
      if (tool === 'yahoo') return JSON.stringify(await getJson(`${endpoints.yahooUrl}/v8/finance/chart/NVDA?interval=1d&range=1d`));
      const ids = (await getJson(`${endpoints.hackernewsUrl}/v0/topstories.json`)) as number[];
      const stories = await Promise.all(ids.slice(0, 3).map((id) => getJson(`${endpoints.hackernewsUrl}/v0/item/${id}.json`)));
      return JSON.stringify(stories);
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
