/** HackerNewsTools against a loopback fake of the Hacker News Firebase API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HackerNewsTools } from '../../src/tools/hackernews.ts';
import type { Tool } from '../../src/tools/tool.ts';
import { validateArguments } from '../../src/tools/validate-arguments.ts';
import { startFakeHackerNews } from '../fakes/hackernews.ts';
import type { HttpFake } from '../fakes/http-fake.ts';

let hn: HttpFake;
let tools: Map<string, Tool>;
const call = async (name: string, args: Record<string, unknown>, signal = AbortSignal.timeout(10_000)) => tools.get(name)!.execute(args, { signal });

before(async () => {
  hn = await startFakeHackerNews();
  tools = new Map(new HackerNewsTools({ baseURL: hn.url }).tools.map((tool) => [tool.name, tool]));
});
after(async () => hn?.close());

describe('HackerNewsTools', () => {
  it('gets top stories with their authors, and user details', async () => {
    const stories = (await call('get_top_hackernews_stories', { num_stories: 2 })) as { title: string; username: string }[];
    assert.deepEqual(stories.map((s) => [s.title, s.username]), [['Agents that never lose work', 'alice'], ['LLM inference costs fall again', 'bob']]);
    assert.deepEqual(await call('get_user_details', { username: 'alice' }), { id: 'alice', karma: 1234, about: 'hacker', created: 1_500_000_000, total_items_submitted: 3 });
    assert.equal(await call('get_user_details', { username: 'nobody' }), 'No Hacker News user named nobody.');
  });

  it('reports service errors, invalid JSON and timeouts readably', async () => {
    hn.failNext('/v0/topstories.json', 'status500');
    await assert.rejects(call('get_top_hackernews_stories', {}), /answered 500/);
    hn.failNext('/v0/item/', 'invalid_json');
    await assert.rejects(call('get_top_hackernews_stories', { num_stories: 1 }), /invalid JSON/);
    hn.failNext('/v0/user/', 'slow');
    await assert.rejects(call('get_user_details', { username: 'alice' }, AbortSignal.timeout(300)), /timeout|abort/i);
  });

  it('rejects bad arguments from a model', () => {
    assert.deepEqual(validateArguments(tools.get('get_top_hackernews_stories')!.parameters, { num_stories: 0 }), ['arguments.num_stories must be ≥ 1']);
    assert.deepEqual(validateArguments(tools.get('get_user_details')!.parameters, {}), ['arguments.username is required']);
  });
});
