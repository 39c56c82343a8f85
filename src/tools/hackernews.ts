/**
 * Hacker News, through its public Firebase API. Function names and arguments follow Agno's
 * `HackerNewsTools`. `HACKERNEWS_API_URL` (or `baseURL`) points it elsewhere, e.g. a proxy.
 */
import { defineTool, Toolkit } from './tool.ts';
import { baseUrl, fetchJson } from './http.ts';

export const HACKERNEWS_DEFAULT_URL = 'https://hacker-news.firebaseio.com';

interface Story {
  id: number;
  title?: string;
  url?: string;
  score?: number;
  by?: string;
  time?: number;
  descendants?: number;
  text?: string;
}

export class HackerNewsTools extends Toolkit {
  constructor(options: { baseURL?: string } = {}) {
    const base = () => baseUrl(options.baseURL, process.env.HACKERNEWS_API_URL, HACKERNEWS_DEFAULT_URL);
    super('hackernews_tools', [
      defineTool<{ num_stories?: number }>({
        name: 'get_top_hackernews_stories',
        description: 'Get the top stories on Hacker News, as JSON: title, url, score, author and comment count.',
        parameters: {
          type: 'object',
          properties: { num_stories: { type: 'integer', minimum: 1, maximum: 50, description: 'How many stories (default 10).' } },
          additionalProperties: false,
        },
        timeoutMs: 30_000,
        async execute({ num_stories = 10 }, { signal }) {
          const ids = (await fetchJson(`${base()}/v0/topstories.json`, signal)) as number[];
          const stories = await Promise.all(
            ids.slice(0, num_stories).map(async (id) => (await fetchJson(`${base()}/v0/item/${id}.json`, signal)) as Story),
          );
          return stories.filter((story) => story !== null).map((story) => ({ ...story, username: story.by }));
        },
      }),
      defineTool<{ username: string }>({
        name: 'get_user_details',
        description: 'Get the details of a Hacker News user: karma, creation time, about text, number of submissions.',
        parameters: {
          type: 'object',
          properties: { username: { type: 'string', description: 'The Hacker News username.' } },
          required: ['username'],
          additionalProperties: false,
        },
        timeoutMs: 15_000,
        async execute({ username }, { signal }) {
          const user = (await fetchJson(`${base()}/v0/user/${encodeURIComponent(username)}.json`, signal)) as {
            id: string;
            karma?: number;
            about?: string;
            created?: number;
            submitted?: number[];
          } | null;
          if (!user) return `No Hacker News user named ${username}.`;
          return { id: user.id, karma: user.karma, about: user.about, created: user.created, total_items_submitted: user.submitted?.length ?? 0 };
        },
      }),
    ]);
  }
}
