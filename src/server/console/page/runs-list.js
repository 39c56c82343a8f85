/**
 * Runs by status and workflow, newest first, kept up to date by following the API's stream of run
 * list changes (`GET /runs/changes`) and reading the list again on each; redrawn only when the list
 * changed. While the stream is down (dropped, or an API without a run store) the list is read
 * every few seconds instead, and the stream tried again.
 */
const FALLBACK_POLL_MS = 5000;
const STATUSES = ['PENDING', 'RUNNING', 'PAUSED', 'COMPLETED', 'ERROR', 'CANCELLED'];

export class RunsList {
  /** `limit`: how many runs to list (at most the API's 1,000). */
  constructor(api, element, limit) {
    this.api = api;
    this.element = element;
    this.limit = limit;
    this.shown = '';
    element.innerHTML = `<div class="filters"><select class="status-filter"><option value="">any status</option></select>
      <select class="workflow-filter"><option value="">any workflow</option></select></div>
      <p class="runs-error" hidden></p><table class="runs"><thead><tr><th>status</th><th>workflow</th><th>input</th><th>started</th></tr></thead><tbody></tbody></table>`;
    this.status = element.querySelector('.status-filter');
    this.workflow = element.querySelector('.workflow-filter');
    this.status.append(...STATUSES.map((status) => new Option(status, status)));
    for (const filter of [this.status, this.workflow]) filter.addEventListener('change', () => this.load());
  }

  async start() {
    const workflows = await this.api.json('GET', '/workflows');
    this.workflow.append(...workflows.map((workflow) => new Option(workflow.name ?? workflow.id, workflow.id)));
    await this.load();
    void this.follow();
  }

  /** Reads the list again at each change the stream tells; without the stream, every few seconds. */
  async follow() {
    // An API without a run store (501) has no such stream: it is not asked again.
    let served = true;
    for (;;) {
      try {
        // `ready` (the stream listens: what changed before it is read now) and `changed` alike.
        if (served) for await (const _frame of this.api.frames('/runs/changes')) {
          this.element.dataset.live = 'true';
          void this.load();
        }
      } catch (err) {
        // Dropped, or not served: the slow poll below until the stream is back.
        if (err.status === 501) served = false;
      }
      this.element.dataset.live = 'false';
      await new Promise((resolve) => setTimeout(resolve, FALLBACK_POLL_MS));
      await this.load();
    }
  }

  /** Reads and draws the list; a read asked for while one is under way is made after it, once. */
  async load() {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.read();
    try {
      await this.loading;
    } finally {
      this.loading = undefined;
    }
    if (this.again) {
      this.again = false;
      await this.load();
    }
  }

  async read() {
    const query = new URLSearchParams({ limit: String(this.limit) });
    if (this.status.value) query.set('status', this.status.value);
    if (this.workflow.value) query.set('workflow_id', this.workflow.value);
    const problem = this.element.querySelector('.runs-error');
    try {
      const runs = await this.api.json('GET', `/runs?${query}`);
      problem.hidden = true;
      const shown = JSON.stringify(runs);
      if (shown === this.shown) return;
      this.shown = shown;
      this.draw(runs);
    } catch (err) {
      problem.textContent = String(err.message ?? err);
      problem.hidden = false;
    }
  }

  draw(runs) {
    const started = performance.now();
    const rows = runs.map((run) => {
      const row = document.createElement('tr');
      row.className = `status-${run.status}`;
      const link = Object.assign(document.createElement('a'), { href: `#/runs/${encodeURIComponent(run.workflow_id)}/${encodeURIComponent(run.run_id)}`, textContent: run.status });
      const cells = [link, run.workflow_name ?? run.workflow_id, typeof run.input === 'string' ? run.input : JSON.stringify(run.input ?? ''), new Date(run.created_at * 1000).toLocaleTimeString()];
      for (const cell of cells) {
        const td = document.createElement('td');
        td.append(cell);
        row.append(td);
      }
      return row;
    });
    this.element.querySelector('tbody').replaceChildren(...rows);
    this.element.dataset.count = String(runs.length);
    // When the list is on the page and how long drawing it took, for whoever times it (bench/console.ts).
    performance.measure('console-runs-drawn', { start: started, detail: runs.length });
  }
}
