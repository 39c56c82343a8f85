/**
 * Loopback fake of the Hacker News Firebase API (https://github.com/HackerNews/API):
 * `/v0/topstories.json` (ids), `/v0/item/{id}.json` and `/v0/user/{id}.json`, answering `null`
 * for ids it does not know, as Firebase does. The top stories are FAKE_STORIES, then an id
 * Firebase no longer has (null) and a deleted story (no author). Failures are injected with
 * `failNext` (500, slow answer, invalid JSON).
 */
import { startHttpFake } from './http-fake.ts';
import type { HttpFake } from './http-fake.ts';

export const FAKE_STORIES = [
  { id: 101, type: 'story', by: 'alice', time: 1_700_000_000, title: 'Agents that never lose work', url: 'https://example.com/agents', score: 420, descendants: 97, kids: [1011, 1012] },
  { id: 102, type: 'story', by: 'bob', time: 1_700_000_100, title: 'LLM inference costs fall again', url: 'https://example.com/costs', score: 310, descendants: 55, kids: [1021] },
  { id: 103, type: 'story', by: 'carol', time: 1_700_000_200, title: 'GPU supply in 2024', url: 'https://example.com/gpus', score: 150, descendants: 12, kids: [] },
];
/** Top story ids after FAKE_STORIES: one Firebase answers `null` for, one deleted (no `by`, no title). */
export const FAKE_MISSING_STORY_ID = 104;
export const FAKE_DELETED_STORY = { id: 105, type: 'story', deleted: true, time: 1_700_000_300 };

export const FAKE_USERS: Record<string, { id: string; created: number; karma: number; about?: string; submitted: number[] }> = {
  alice: { id: 'alice', created: 1_500_000_000, karma: 1234, about: 'Building <i>durable</i> agents.', submitted: [101, 5, 6] },
  bob: { id: 'bob', created: 1_600_000_000, karma: 56, submitted: [102] },
};

export function startFakeHackerNews(): Promise<HttpFake> {
  const items = new Map<number, object>([...FAKE_STORIES, FAKE_DELETED_STORY].map((item) => [item.id, item]));
  return startHttpFake((url) => {
    if (url.pathname === '/v0/topstories.json') return { body: [...FAKE_STORIES.map((story) => story.id), FAKE_MISSING_STORY_ID, FAKE_DELETED_STORY.id] };
    const item = /^\/v0\/item\/(\d+)\.json$/.exec(url.pathname);
    if (item) return { body: items.get(Number(item[1])) ?? null };
    const user = /^\/v0\/user\/([^/]+)\.json$/.exec(url.pathname);
    if (user) return { body: FAKE_USERS[decodeURIComponent(user[1]!)] ?? null };
    return undefined;
  });
}
