/**
 * The run console: asks for a key when the API wants one, lists runs, and shows the run the
 * address names (`#/runs/{workflow_id}/{run_id}`).
 */
import { Api, Unauthorized } from './api.js';
import { RunsList } from './runs-list.js';
import { RunView } from './run-view.js';

const FORK_PATH = '/workflows/{workflow_id}/runs/{run_id}/fork';
const api = new Api();

async function main() {
  try {
    await api.json('GET', '/workflows');
  } catch (err) {
    if (err instanceof Unauthorized) return askForKey(api.key ? 'That key was not accepted.' : 'This API needs a key.');
    throw err;
  }
  document.querySelector('#key-form').hidden = true;
  const features = { fork: await forkServed() };
  const limit = Math.min(1000, Number(new URLSearchParams(location.search).get('limit')) || 100);
  const list = new RunsList(api, document.querySelector('#runs'), limit);
  const view = new RunView(api, document.querySelector('#run'), features);
  const route = () => {
    const [, workflowId, runId] = /^#\/runs\/([^/]+)\/([^/]+)$/.exec(location.hash) ?? [];
    if (workflowId && runId) view.show(decodeURIComponent(workflowId), decodeURIComponent(runId)).catch((err) => view.problem(err));
  };
  window.addEventListener('hashchange', route);
  await list.start();
  route();
  document.body.dataset.ready = 'true';
}

/** Whether the API forks runs: its OpenAPI document (public) lists the route. */
async function forkServed() {
  const described = await fetch('/openapi.json').then((response) => response.json(), () => ({}));
  return Boolean(described.paths?.[FORK_PATH]?.post);
}

function askForKey(message) {
  const form = document.querySelector('#key-form');
  form.hidden = false;
  form.querySelector('.message').textContent = message;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api.setKey(form.querySelector('input').value.trim());
    location.reload();
  }, { once: true });
}

main().catch((err) => {
  document.querySelector('#problem').textContent = String(err.message ?? err);
});
