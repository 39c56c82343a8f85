/**
 * Hacker News, through its public Firebase API (https://github.com/HackerNews/API). Function
 * names, arguments and output keys follow Agno's `HackerNewsTools`: `get_top_hackernews_stories`
 * gives the stories as Firebase sends them plus `username`, `get_user_details` gives `id`, `karma`,
 * `about` and `total_items_submitted`. `HACKERNEWS_API_URL` (or `baseURL`) points it elsewhere,
 * e.g. a proxy or a fake. Failures throw readable errors, which the model gets as text.
 */
import { defineTool, Toolkit } from '../definitions/tool.ts';
import { baseUrl, fetchJson } from './http.ts';

export const HACKERNEWS_DEFAULT_URL = 'https://hacker-news.firebaseio.com';
/** Stories fetched at once (Firebase serves one item per request). */
const CONCURRENCY = 10;

/** An item as Firebase sends it (https://github.com/HackerNews/API#items). */
interface Item {
  id: number;
  type?: string;
  by?: string;
  time?: number;
  title?: string;
  url?: string;
  text?: string;
  score?: number;
  descendants?: number;
  kids?: number[];
  deleted?: boolean;
  dead?: boolean;
}

interface User {
  id: string;
  created?: number;
  karma?: number;
  about?: string;
  submitted?: number[];
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (err) {
        failed = true; // the others stop taking new items
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export class HackerNewsTools extends Toolkit {
  constructor(options: { baseURL?: string } = {}) {
    const base = () => baseUrl(options.baseURL, process.env.HACKERNEWS_API_URL, HACKERNEWS_DEFAULT_URL);
    super('hackers_news', [
      defineTool<{ num_stories?: number }>({
        name: 'get_top_hackernews_stories',
        description:
          'Get the top stories from Hacker News, as a JSON list of stories (title, url, score, by/username, time, descendants = comment count, kids = comment ids).',
        parameters: {
          type: 'object',
          properties: { num_stories: { type: 'integer', minimum: 1, maximum: 50, description: 'Number of stories to return. Defaults to 10.' } },
          additionalProperties: false,
        },
        timeoutMs: 30_000,
        async execute({ num_stories = 10 }, { signal }) {
          try {
            const ids = await fetchJson(`${base()}/v0/topstories.json`, signal);
            if (!Array.isArray(ids)) throw new Error(`expected a list of story ids, got ${JSON.stringify(ids).slice(0, 80)}`);
            const items = await mapLimit(ids.slice(0, num_stories) as number[], CONCURRENCY, async (id) => (await fetchJson(`${base()}/v0/item/${id}.json`, signal)) as Item | null);
            // Firebase answers `null` for items it no longer has; like Agno, skip them.
            return items.filter((item): item is Item => item !== null && typeof item === 'object').map((item) => ({ ...item, username: item.by ?? 'unknown' }));
          } catch (err) {
            throw new Error(`could not fetch the top Hacker News stories: ${(err as Error).message}`, { cause: err });
          }
        },
      }),
      defineTool<{ username: string }>({
        name: 'get_user_details',
        description: 'Get the details of a Hacker News user by username, as JSON: id, karma, about, total_items_submitted.',
        parameters: {
          type: 'object',
          properties: { username: { type: 'string', description: 'Username of the user to get details for (case-sensitive).' } },
          required: ['username'],
          additionalProperties: false,
        },
        timeoutMs: 15_000,
        async execute({ username }, { signal }) {
          const name = username.trim();
          if (!name) throw new Error('the username is empty');
          let user: User | null;
          try {
            user = (await fetchJson(`${base()}/v0/user/${encodeURIComponent(name)}.json`, signal)) as User | null;
          } catch (err) {
            throw new Error(`could not get the details of Hacker News user ${name}: ${(err as Error).message}`, { cause: err });
          }
          // Firebase answers `null` for unknown users.
          if (user === null || typeof user !== 'object') throw new Error(`Hacker News has no user named ${JSON.stringify(name)} (usernames are case-sensitive)`);
          return { id: user.id ?? null, karma: user.karma ?? null, about: user.about ?? null, total_items_submitted: user.submitted?.length ?? 0 };
        },
      }),
    ]);
  }
}
