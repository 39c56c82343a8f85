/**
 * The metrics module (src/metrics/): instruments, the registry, and Prometheus's text exposition
 * format as a scraper reads it, served over real HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from '../../src/metrics/registry.ts';
import { serveMetrics } from '../../src/metrics/serve-metrics.ts';
import { parseExposition } from '../support/metrics-scrape.ts';

describe('the text exposition', () => {
  it('writes HELP and TYPE once per metric, then its series, labels escaped', () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter('http_requests_total', 'Requests.\nBy route.', ['method', 'route']);
    requests.inc({ method: 'GET', route: '/a' });
    requests.inc({ method: 'GET', route: '/a' }, 2);
    requests.inc({ method: 'POST', route: 'say "hi"\\now\n' });
    requests.inc({ method: 'GET', route: '/a' }, -5); // a counter never goes down
    const open = registry.gauge('open_streams', 'Open streams.');
    open.inc();
    open.inc();
    open.dec();
    registry.counter('never_counted_total', 'Zero until counted.');
    assert.equal(
      registry.exposition(),
      [
        '# HELP http_requests_total Requests.\\nBy route.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",route="/a"} 3',
        'http_requests_total{method="POST",route="say \\"hi\\"\\\\now\\n"} 1',
        '# HELP open_streams Open streams.',
        '# TYPE open_streams gauge',
        'open_streams 1',
        '# HELP never_counted_total Zero until counted.',
        '# TYPE never_counted_total counter',
        'never_counted_total 0',
        '',
      ].join('\n'),
    );
    const parsed = parseExposition(registry.exposition());
    assert.equal(parsed.value('http_requests_total', { route: 'say "hi"\\now\n' }), 1);
  });

  it('writes a histogram as cumulative buckets up to +Inf, a sum and a count', () => {
    const registry = new MetricsRegistry();
    const latency = registry.histogram('latency_seconds', 'Latency.', ['route'], [0.1, 1]);
    // Binary fractions, so that the sum is exact; 1 sits on a bound, which counts it in.
    for (const seconds of [0.0625, 0.09375, 1, 3]) latency.observe({ route: '/a' }, seconds);
    assert.equal(
      registry.exposition(),
      [
        '# HELP latency_seconds Latency.',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{route="/a",le="0.1"} 2',
        'latency_seconds_bucket{route="/a",le="1"} 3',
        'latency_seconds_bucket{route="/a",le="+Inf"} 4',
        'latency_seconds_sum{route="/a"} 4.15625',
        'latency_seconds_count{route="/a"} 4',
        '',
      ].join('\n'),
    );
  });

  it('reads values their owner keeps at each scrape', () => {
    const registry = new MetricsRegistry();
    let published = 1;
    registry.read('published_total', 'Published.', 'counter', () => published);
    assert.match(registry.exposition(), /^published_total 1$/m);
    published = 7;
    assert.match(registry.exposition(), /^published_total 7$/m);
    // Declared again (another owner): the new reader wins.
    registry.read('published_total', 'Published.', 'counter', () => 42);
    assert.match(registry.exposition(), /^published_total 42$/m);
    // An owner that cannot tell gives no sample, and the rest is still served.
    registry.read('broken', 'Throws.', 'gauge', () => {
      throw new Error('closed');
    });
    assert.equal(parseExposition(registry.exposition()).find('broken').length, 0);
  });
});

describe('the registry', () => {
  it('returns the metric already declared, and refuses another type or other labels', () => {
    const registry = new MetricsRegistry();
    const first = registry.counter('calls_total', 'Calls.', ['tool']);
    assert.equal(registry.counter('calls_total', 'Calls.', ['tool']), first);
    assert.throws(() => registry.gauge('calls_total', 'Calls.', ['tool']), /declared already, as a counter/);
    assert.throws(() => registry.counter('calls_total', 'Calls.', ['model']), /declared already/);
  });

  it('refuses names Prometheus would not accept', () => {
    const registry = new MetricsRegistry();
    assert.throws(() => registry.counter('http-requests', 'Bad.'), /Invalid metric name/);
    assert.throws(() => registry.counter('ok_total', 'Bad label.', ['route-name']), /invalid label name/);
    assert.throws(() => registry.histogram('h', 'Reserved label.', ['le']), /invalid label name/);
    assert.throws(() => registry.histogram('h2', 'Bad buckets.', [], [1, 0.5]), /ascending/);
  });
});

describe('the metrics listener', () => {
  it('serves GET /metrics in the text format, and nothing else', async () => {
    const registry = new MetricsRegistry();
    registry.counter('served_total', 'Served.').inc();
    const server = await serveMetrics(registry, { port: 0, hostname: '127.0.0.1' });
    try {
      const response = await fetch(server.url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(parseExposition(await response.text()).value('served_total'), 1);
      assert.equal((await fetch(server.url.replace('/metrics', '/'))).status, 404);
      assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
    }
  });
});
