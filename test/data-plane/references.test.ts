/**
 * The pieces of "bytes beside the run", on their own: text references (measured and cut as the
 * texts they stand for), storing and reading texts (inline when small, checked, scoped to the
 * run's family), log segments, and the workflow's event log paging by bytes and answering with
 * the segments that hold archived events.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { sliceText, textExcerpt, textLength, textParts, textReference } from '../../src/contracts/text-refs.ts';
import { runPrefix } from '../../src/data-plane/blob-keys.ts';
import { LocalBlobStore } from '../../src/data-plane/local-blob-store.ts';
import { readSegment, writeSegments } from '../../src/data-plane/log-segments.ts';
import { RunTexts } from '../../src/data-plane/run-texts.ts';
import { EventLog } from '../../src/workflows/event-log.ts';

describe('text references', () => {
  const ref = textReference({ key: 'runs/default/run-1/reply_x_1-0123456789abcdef', bytes: 12, length: 10 });

  it('are measured and cut as the text they stand for', () => {
    const text = `ab${ref}cd`;
    assert.equal(textLength(text), 14);
    assert.equal(sliceText(text, 0, 2), 'ab');
    assert.equal(textLength(sliceText(text, 1, 5)), 4);
    const part = textParts(sliceText(text, 3, 8));
    assert.deepEqual(part, [{ key: 'runs/default/run-1/reply_x_1-0123456789abcdef', bytes: 12, length: 10, start: 1, end: 6 }]);
    assert.equal(sliceText(text, 12), 'cd');
    assert.equal(sliceText('plain text', 6), 'text');
  });

  it('show as their size in excerpts', () => {
    assert.equal(textExcerpt(`Report:\n${ref}`, 120), 'Report: [… 12 bytes]');
    assert.equal(textExcerpt('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
  });
});

describe('texts in the blob store', () => {
  let dir: string;
  let texts: RunTexts;
  const place = { namespace: 'default', workflowId: 'run-1', producer: 'output_exec_7' };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'references-'));
    texts = new RunTexts(new LocalBlobStore(dir), { inlineBytes: 16 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps small texts inline and big ones by reference, read back whole or in part', async () => {
    assert.equal(await texts.keep('short', place), 'short');
    const big = 'é'.repeat(20);
    const kept = await texts.keep(big, place);
    assert.notEqual(kept, big);
    assert.equal(textLength(kept), 20);
    assert.equal(await texts.expand(`<${kept}>`), `<${big}>`);
    assert.equal(await new RunTexts(texts.blobs).expand(sliceText(kept, 5, 8)), 'ééé');
    assert.deepEqual(await texts.expandAll({ a: [kept], n: 1 }), { a: [big], n: 1 });
  });

  it('stores a text that looks like a reference, so it reads back as it was', async () => {
    const forged = textReference({ key: 'runs/default/other/secret-0000000000000000', bytes: 1, length: 1 });
    const kept = await texts.keep(forged, place);
    assert.equal(await texts.expand(kept), forged);
  });

  it("reads, for a run, only its own texts and its children's and parents'", async () => {
    const kept = await texts.keep('x'.repeat(40), place);
    const fresh = () => new RunTexts(texts.blobs);
    assert.equal(await fresh().expand(kept, { namespace: 'default', runId: 'run-1' }), 'x'.repeat(40));
    assert.equal(await fresh().expand(kept, { namespace: 'default', runId: 'run-1.step.abcd' }), 'x'.repeat(40));
    await assert.rejects(fresh().expand(kept, { namespace: 'default', runId: 'run-2' }), /does not belong to run run-2/);
    await assert.rejects(fresh().expand(kept, { namespace: 'other', runId: 'run-1' }), /does not belong/);
  });

  it('refuses a changed or missing blob', async () => {
    const kept = await texts.keep('y'.repeat(40), place);
    const key = textParts(kept).find((part) => typeof part === 'object')!.key as string;
    await writeFile(join(dir, ...key.split('/')), 'z'.repeat(40));
    await assert.rejects(new RunTexts(texts.blobs).expand(kept), /does not match its digest/);
    await rm(join(dir, ...key.split('/')));
    await assert.rejects(new RunTexts(texts.blobs).expand(kept), /is missing from the blob store/);
  });

  it('files every blob under the run, where gc finds it', async () => {
    const files = await readdir(join(dir, ...runPrefix('default', 'run-1').split('/').filter(Boolean)));
    assert.ok(files.length > 0 && files.every((name) => name.startsWith('output_exec_7-')), files.join(', '));
  });
});

const event = (index: number, content = ''): RunEvent =>
  ({ event: 'RunContent', event_index: index, created_at: 0, run_id: 'r', workflow_id: 'w', workflow_name: 'W', session_id: 's', content }) as RunEvent;

describe('log segments', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'segments-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('split a log by bytes and read back each range', async () => {
    const blobs = new LocalBlobStore(dir);
    const events = Array.from({ length: 10 }, (_, i) => event(10 + i, 'x'.repeat(100)));
    // Room for three events each.
    const segments = await writeSegments(blobs, { namespace: 'default', workflowId: 'run-1' }, events, 3 * (JSON.stringify(events[0]).length + 1));
    assert.deepEqual(segments.map((s) => [s.first, s.last]), [[10, 12], [13, 15], [16, 18], [19, 19]]);
    assert.ok(segments.every((s) => s.key.startsWith(runPrefix('default', 'run-1'))));
    assert.deepEqual((await Promise.all(segments.map((s) => readSegment(blobs, s)))).flat(), events);
    await assert.rejects(readSegment(blobs, { ...segments[0]!, last: 13 }), /does not hold events 10-13/);
  });
});

describe('the event log of a run', () => {
  const base = { run_id: 'r', workflow_id: 'w', workflow_name: 'W', session_id: 's' };
  const fields = { step_id: 's', step_name: 'S', step_index: 0, run_id: 'a', workflow_run_id: 'r', agent_id: 'a', agent_name: 'A' };

  it('pages by bytes, one event at least', () => {
    const log = new EventLog(base);
    for (let i = 0; i < 5; i++) log.emit('RunContent', { ...fields, content: 'x'.repeat(1000) });
    // Room for two events a page.
    const size = JSON.stringify(log.page(-1, 1).events[0]).length;
    const pages: number[] = [];
    for (let after = -1; after < log.lastIndex; ) {
      const page = log.page(after, 2 * size + 10);
      pages.push(page.events.length);
      after = page.events.at(-1)!.event_index;
    }
    assert.deepEqual(pages, [2, 2, 1]);
    assert.equal(log.page(-1, 10).events.length, 1);
  });

  it('goes on after an archived log, and answers with the segments that hold what comes first', () => {
    const segments = [
      { key: 'k0', first: 0, last: 9, bytes: 1 },
      { key: 'k1', first: 10, last: 19, bytes: 1 },
    ];
    const log = new EventLog(base, { segments, next: 20 });
    assert.equal(log.emit('RunContent', { ...fields, content: 'next' }).event_index, 20);
    assert.deepEqual(log.page(4, 1000), { events: [], archived: segments, lastIndex: 20 });
    assert.deepEqual(log.page(12, 1000).archived, [segments[1]]);
    assert.deepEqual(log.page(19, 1000).events.map((e) => e.event_index), [20]);
    assert.deepEqual(log.carry([{ key: 'k2', first: 20, last: 20, bytes: 1 }]), { segments: [...segments, { key: 'k2', first: 20, last: 20, bytes: 1 }], next: 21 });
  });
});
