/** YFinanceTools against a loopback fake that speaks Yahoo Finance's formats, crumb included. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../src/tools/tool.ts';
import { validateArguments } from '../../src/tools/validate-arguments.ts';
import { YFinanceTools } from '../../src/tools/yfinance.ts';
import { startFakeYahooFinance } from '../fakes/yahoo-finance.ts';
import type { FakeYahoo } from '../fakes/yahoo-finance.ts';

let yahoo: FakeYahoo;
let tools: Map<string, Tool>;
const signal = () => AbortSignal.timeout(10_000);
const call = async (name: string, args: Record<string, unknown>, abort = signal()) => tools.get(name)!.execute(args, { signal: abort });

before(async () => {
  yahoo = await startFakeYahooFinance();
  tools = new Map(new YFinanceTools({ baseURL: yahoo.url }).tools.map((tool) => [tool.name, tool]));
});
after(async () => yahoo?.close());

describe('YFinanceTools', () => {
  it('has Agno’s function names', () => {
    assert.deepEqual([...tools.keys()], ['get_current_stock_price', 'get_company_info', 'get_historical_stock_prices', 'get_stock_fundamentals', 'get_analyst_recommendations', 'get_company_news']);
  });

  it('gets the current price from the chart endpoint', async () => {
    assert.equal(await call('get_current_stock_price', { symbol: 'NVDA' }), '181.2500');
    assert.match(String(await call('get_current_stock_price', { symbol: 'NOPE' })), /Error fetching current price for NOPE: .*404/);
  });

  it('gets company info and fundamentals through quoteSummary, fetching cookie and crumb once', async () => {
    const before = yahoo.count('/v1/test/getcrumb');
    const info = (await call('get_company_info', { symbol: 'NVDA' })) as Record<string, unknown>;
    assert.equal(info.Name, 'NVDA Corporation');
    assert.equal(info['Current Stock Price'], '181.25 USD');
    assert.equal(info.Sector, 'Technology');
    assert.equal(info['Analyst Recommendation'], 'buy');
    const fundamentals = (await call('get_stock_fundamentals', { symbol: 'MSFT' })) as Record<string, unknown>;
    assert.equal(fundamentals.company_name, 'MSFT Corporation');
    assert.equal(fundamentals.pe_ratio, 50);
    assert.equal(fundamentals['52_week_high'], 512.5 * 1.1);
    assert.equal(yahoo.count('/v1/test/getcrumb') - before, 1, 'the session is reused');
  });

  it('gets a new crumb once when Yahoo rejects the old one', async () => {
    yahoo.expireCrumb();
    const before = yahoo.count('/v1/test/getcrumb');
    const trend = (await call('get_analyst_recommendations', { symbol: 'NVDA' })) as { period: string; buy: number }[];
    assert.deepEqual(trend.map((t) => [t.period, t.buy]), [['0m', 40], ['-1m', 39]]);
    assert.equal(yahoo.count('/v1/test/getcrumb') - before, 1);
  });

  it('gets historical prices and news', async () => {
    const history = (await call('get_historical_stock_prices', { symbol: 'GOOGL', period: '5d', interval: '1d' })) as Record<string, { Close: number }>;
    assert.equal(Object.keys(history).length, 5);
    assert.equal(Object.values(history)[0]?.Close, 245.1);
    const news = (await call('get_company_news', { symbol: 'NVDA', num_stories: 2 })) as { title: string }[];
    assert.deepEqual(news.map((n) => n.title), ['NVDA news 1', 'NVDA news 2']);
  });

  it('reports service errors, invalid JSON and timeouts readably', async () => {
    yahoo.failNext('/v1/finance/search', 'status500');
    await assert.rejects(call('get_company_news', { symbol: 'NVDA' }), /answered 500/);
    yahoo.failNext('/v8/finance/chart', 'invalid_json');
    await assert.rejects(call('get_historical_stock_prices', { symbol: 'NVDA' }), /invalid JSON/);
    yahoo.failNext('/v1/finance/search', 'slow');
    const started = Date.now();
    await assert.rejects(call('get_company_news', { symbol: 'NVDA' }, AbortSignal.timeout(300)), /timeout|abort/i);
    assert.ok(Date.now() - started < 3000, 'the call gave up at its timeout');
  });

  it('rejects bad arguments from a model by the schema the model sees', () => {
    const schema = tools.get('get_historical_stock_prices')!.parameters;
    assert.deepEqual(validateArguments(schema, { symbol: 'NVDA', period: '2w' }), [`arguments.period must be one of ${['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'].map((p) => JSON.stringify(p)).join(', ')}`]);
    assert.deepEqual(validateArguments(tools.get('get_company_news')!.parameters, { symbol: 3, num_stories: 99 }), ['arguments.symbol must be string, got integer', 'arguments.num_stories must be ≤ 20']);
  });
});
