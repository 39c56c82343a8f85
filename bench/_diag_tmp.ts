import { performance } from 'node:perf_hooks';
import { Agent } from '../src/agents/agent.ts';
import { OpenAIResponses } from '../src/models/openai.ts';
import { Step } from '../src/steps/step.ts';
import { Workflow } from '../src/steps/workflow.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { postForm, postJson } from '../test/support/http.ts';
import { summarize } from './stats.ts';
const workflow = new Workflow({ name: 'Instant', steps: [new Step({ name: 'Answer', agent: new Agent({ name: 'Instant Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })] });
const h = await startApiHarness([workflow]);
h.openai.setHandler(() => ({ kind: 'text', text: 'ok' }));
const url = `${h.api.url}/workflows/${workflow.id}/runs`;
const inner: number[] = [];
const orig = h.engine.startRun.bind(h.engine);
h.engine.startRun = async (w, o) => { const t = performance.now(); try { return await orig(w, o); } finally { inner.push(performance.now() - t); } };
async function m(label: string, f: () => Promise<unknown>, n = 100) {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await f(); xs.push(performance.now() - t); }
  const s = summarize(xs); console.log(label, s.p50.toFixed(2), s.p99.toFixed(2));
}
await m('health', async () => (await fetch(`${h.api.url}/health`)).text());
await m('422', async () => (await postJson(url, { message: 5, stream: false, background: true })).text());
inner.length = 0;
await m('post form', async () => (await postForm(url, { message: 'go', stream: 'false', background: 'true' })).text());
console.log('inner startRun', summarize(inner).p50.toFixed(2)); inner.length = 0;
await m('post json', async () => (await postJson(url, { message: 'go', stream: false, background: true })).text());
console.log('inner startRun', summarize(inner).p50.toFixed(2)); inner.length = 0;
await m('engine direct', async () => h.engine.startRun(workflow, { input: 'go' }));
console.log('inner startRun', summarize(inner).p50.toFixed(2));
await h.close();
