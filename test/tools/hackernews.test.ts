/** HackerNewsTools against a loopback fake of the Hacker News Firebase API. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HackerNewsTools } from '../../src/tools/hackernews.ts';
import type { Tool } from '../../src/definitions/tool.ts';
import { validateArguments } from '../../src/definitions/validate-arguments.ts';
import { FAKE_DELETED_STORY, FAKE_STORIES, startFakeHackerNews } from '../fakes/hackernews.ts';
import type { HttpFake } from '../fakes/http-fake.ts';

let hn: HttpFake;
let kit: HackerNewsTools;
let tools: Map<string, Tool>;
const call = (name: string, args: Record<string, unknown>, signal = AbortSignal.timeout(10_000), from = tools) => from.get(name)!.execute(args, { signal }) as Promise<unknown>;

/** A loopback port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  hn = await startFakeHackerNews();
  kit = new HackerNewsTools({ baseURL: hn.url });
  tools = new Map(kit.tools.map((tool) => [tool.name, tool]));
});
after(async () => hn?.close());

describe('HackerNewsTools: Agno’s functions', () => {
  it('has Agno’s toolkit name, function names and arguments, and a timeout for each', () => {
    assert.equal(kit.name, 'hackers_news');
    assert.deepEqual([...tools.keys()], ['get_top_hackernews_stories', 'get_user_details']);
    assert.deepEqual(Object.keys(tools.get('get_top_hackernews_stories')!.parameters.properties as object), ['num_stories']);
    assert.deepEqual(tools.get('get_user_details')!.parameters.required, ['username']);
    for (const tool of tools.values()) assert.ok(tool.timeoutMs && tool.timeoutMs <= 30_000, `${tool.name} has a timeout`);
  });

  it('get_top_hackernews_stories: the stories as Firebase sends them, plus username', async () => {
    const items = hn.count('/v0/item/');
    const stories = (await call('get_top_hackernews_stories', { num_stories: 2 })) as Record<string, unknown>[];
    assert.deepEqual(stories, FAKE_STORIES.slice(0, 2).map((story) => ({ ...story, username: story.by })));
    assert.equal(hn.count('/v0/item/') - items, 2, 'one request per story asked for');
  });

  it('get_top_hackernews_stories: skips items Firebase no longer has, "unknown" for a story without author; 10 by default', async () => {
    const stories = (await call('get_top_hackernews_stories', {})) as { id: number; username: string; title?: string }[];
    assert.deepEqual(stories.map((s) => [s.id, s.username]), [[101, 'alice'], [102, 'bob'], [103, 'carol'], [FAKE_DELETED_STORY.id, 'unknown']]);
    assert.equal(stories[0]!.title, 'Agents that never lose work');
  });

  it('get_user_details: Agno’s keys (id, karma, about, total_items_submitted)', async () => {
    assert.deepEqual(await call('get_user_details', { username: 'alice' }), { id: 'alice', karma: 1234, about: 'Building <i>durable</i> agents.', total_items_submitted: 3 });
    assert.deepEqual(await call('get_user_details', { username: 'bob' }), { id: 'bob', karma: 56, about: null, total_items_submitted: 1 });
    await assert.rejects(call('get_user_details', { username: 'nobody' }), /Hacker News has no user named "nobody"/);
    await assert.rejects(call('get_user_details', { username: ' ' }), /the username is empty/);
  });

  it('honours HACKERNEWS_API_URL (an empty baseURL means unset)', async () => {
    const saved = process.env.HACKERNEWS_API_URL;
    process.env.HACKERNEWS_API_URL = hn.url;
    try {
      const fromEnv = new Map(new HackerNewsTools({ baseURL: '' }).tools.map((tool) => [tool.name, tool]));
      assert.equal(((await call('get_user_details', { username: 'alice' }, undefined, fromEnv)) as { karma: number }).karma, 1234);
    } finally {
      if (saved === undefined) delete process.env.HACKERNEWS_API_URL;
      else process.env.HACKERNEWS_API_URL = saved;
    }
  });
});

describe('HackerNewsTools: failures', () => {
  it('an HTTP 500 is a readable error, for the list or for one story', async () => {
    hn.failNext('/v0/topstories.json', 'status500');
    await assert.rejects(call('get_top_hackernews_stories', {}), /could not fetch the top Hacker News stories: 127\.0\.0\.1:\d+ answered 500 Internal Server Error/);
    hn.failNext('/v0/item/102.json', 'status500');
    await assert.rejects(call('get_top_hackernews_stories', { num_stories: 3 }), /answered 500/);
    hn.failNext('/v0/user/', 'status500');
    await assert.rejects(call('get_user_details', { username: 'alice' }), /could not get the details of Hacker News user alice: .*answered 500/);
  });

  it('invalid JSON is a readable error', async () => {
    hn.failNext('/v0/item/', 'invalid_json');
    await assert.rejects(call('get_top_hackernews_stories', { num_stories: 1 }), /could not fetch the top Hacker News stories: 127\.0\.0\.1:\d+ answered with invalid JSON/);
    hn.failNext('/v0/user/', 'invalid_json');
    await assert.rejects(call('get_user_details', { username: 'alice' }), /invalid JSON/);
  });

  it('a slow answer ends the call promptly at the timeout', async () => {
    for (const [path, tool, args] of [
      ['/v0/user/', 'get_user_details', { username: 'alice' }],
      ['/v0/topstories.json', 'get_top_hackernews_stories', {}],
      ['/v0/item/103.json', 'get_top_hackernews_stories', { num_stories: 3 }],
    ] as const) {
      hn.failNext(path, 'slow');
      const heldBefore = hn.held();
      await assert.rejects(call(tool, args, AbortSignal.timeout(300)), /did not answer before the timeout/);
      assert.equal(hn.held(), heldBefore + 1, `${tool} gave up at the timeout, before the held answer`);
    }
  });

  it('an unreachable service is a readable error', async () => {
    const port = await closedPort();
    const down = new Map(new HackerNewsTools({ baseURL: `http://127.0.0.1:${port}` }).tools.map((tool) => [tool.name, tool]));
    await assert.rejects(call('get_user_details', { username: 'alice' }, undefined, down), new RegExp(`127\\.0\\.0\\.1:${port} could not be reached: ECONNREFUSED`));
  });
});

describe('HackerNewsTools: a model’s bad arguments', () => {
  const schema = (name: string) => tools.get(name)!.parameters;
  it('are named by validateArguments with the schema the model sees', () => {
    assert.deepEqual(validateArguments(schema('get_top_hackernews_stories'), {}), []);
    assert.deepEqual(validateArguments(schema('get_top_hackernews_stories'), { num_stories: 0 }), ['arguments.num_stories must be ≥ 1']);
    assert.deepEqual(validateArguments(schema('get_top_hackernews_stories'), { num_stories: 500 }), ['arguments.num_stories must be ≤ 50']);
    assert.deepEqual(validateArguments(schema('get_top_hackernews_stories'), { num_stories: 2.5 }), ['arguments.num_stories must be integer, got number']);
    assert.deepEqual(validateArguments(schema('get_top_hackernews_stories'), { count: 3 }), ['arguments.count is not an accepted argument']);
    assert.deepEqual(validateArguments(schema('get_user_details'), {}), ['arguments.username is required']);
    assert.deepEqual(validateArguments(schema('get_user_details'), { username: 42 }), ['arguments.username must be string, got integer']);
  });
});
