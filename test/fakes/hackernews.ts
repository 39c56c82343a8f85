/** Loopback fake of the Hacker News Firebase API (`/v0/topstories.json`, `/v0/item/{id}.json`, `/v0/user/{id}.json`). */
import { startHttpFake } from './http-fake.ts';
import type { HttpFake } from './http-fake.ts';

export const FAKE_STORIES = [
  { id: 101, type: 'story', by: 'alice', time: 1_700_000_000, title: 'Agents that never lose work', url: 'https://example.com/agents', score: 420, descendants: 97 },
  { id: 102, type: 'story', by: 'bob', time: 1_700_000_100, title: 'LLM inference costs fall again', url: 'https://example.com/costs', score: 310, descendants: 55 },
  { id: 103, type: 'story', by: 'carol', time: 1_700_000_200, title: 'GPU supply in 2024', url: 'https://example.com/gpus', score: 150, descendants: 12 },
];

export function startFakeHackerNews(): Promise<HttpFake> {
  return startHttpFake((url) => {
    if (url.pathname === '/v0/topstories.json') return { body: FAKE_STORIES.map((story) => story.id) };
    const item = /^\/v0\/item\/(\d+)\.json$/.exec(url.pathname);
    // Firebase answers `null` for ids it does not know.
    if (item) return { body: FAKE_STORIES.find((story) => story.id === Number(item[1])) ?? null };
    const user = /^\/v0\/user\/([^/]+)\.json$/.exec(url.pathname);
    if (user) return { body: user[1] === 'nobody' ? null : { id: user[1], karma: 1234, created: 1_500_000_000, about: 'hacker', submitted: [101, 5, 6] } };
    return undefined;
  });
}
