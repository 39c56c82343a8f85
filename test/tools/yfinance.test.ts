/** YFinanceTools against a loopback fake that speaks Yahoo Finance's formats, cookie and crumb included. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../src/definitions/tool.ts';
import { validateArguments } from '../../src/definitions/validate-arguments.ts';
import { INTERVALS, PERIODS, YAHOO_USER_AGENT, YFinanceTools } from '../../src/tools/yfinance.ts';
import { FAKE_DIVIDEND, FAKE_SPLIT, startFakeYahooFinance } from '../fakes/yahoo-finance.ts';
import type { FakeYahoo } from '../fakes/yahoo-finance.ts';

let yahoo: FakeYahoo;
let tools: Map<string, Tool>;

const toolsOf = (kit: YFinanceTools) => new Map(kit.tools.map((tool) => [tool.name, tool]));
/** A toolkit of its own (its own cookie and crumb) against the fake. */
const freshTools = () => toolsOf(new YFinanceTools({ baseURL: yahoo.url }));
const call = (name: string, args: Record<string, unknown>, signal = AbortSignal.timeout(10_000), kit = tools) => kit.get(name)!.execute(args, { signal }) as Promise<unknown>;
const schemaOf = (name: string) => tools.get(name)!.parameters;
const utc = (...parts: [number, number, number, number, number?]) => String(Date.UTC(...parts));

/** A loopback port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  yahoo = await startFakeYahooFinance();
  tools = freshTools();
});
after(async () => yahoo?.close());

describe('YFinanceTools: Agno’s functions against Yahoo’s formats', () => {
  it('has Agno’s function names and arguments, and a timeout for each', () => {
    assert.deepEqual([...tools.keys()], ['get_current_stock_price', 'get_company_info', 'get_historical_stock_prices', 'get_stock_fundamentals', 'get_analyst_recommendations', 'get_company_news']);
    assert.deepEqual(Object.keys(schemaOf('get_historical_stock_prices').properties as object), ['symbol', 'period', 'interval']);
    assert.deepEqual(Object.keys(schemaOf('get_company_news').properties as object), ['symbol', 'num_stories']);
    for (const tool of tools.values()) assert.ok(tool.timeoutMs && tool.timeoutMs <= 30_000, `${tool.name} has a timeout`);
  });

  it('get_current_stock_price: the chart’s regularMarketPrice, with four decimals', async () => {
    assert.equal(await call('get_current_stock_price', { symbol: 'NVDA' }), '181.2500');
    assert.equal(await call('get_current_stock_price', { symbol: ' msft ' }), '512.5000');
    await assert.rejects(call('get_current_stock_price', { symbol: 'NOPE' }), /could not fetch the current price of NOPE: Yahoo Finance answered 404: No data found, symbol may be delisted/);
    await assert.rejects(call('get_current_stock_price', { symbol: '  ' }), /the symbol is empty/);
  });

  it('get_company_info: Agno’s keys, from quoteSummary’s { raw, fmt } values', async () => {
    const info = (await call('get_company_info', { symbol: 'NVDA' })) as Record<string, unknown>;
    assert.deepEqual(Object.keys(info), [
      'Name', 'Symbol', 'Current Stock Price', 'Market Cap', 'Sector', 'Industry', 'Address', 'City', 'State', 'Zip', 'Country', 'EPS', 'P/E Ratio',
      '52 Week Low', '52 Week High', '50 Day Average', '200 Day Average', 'Website', 'Summary', 'Analyst Recommendation', 'Number Of Analyst Opinions',
      'Employees', 'Total Cash', 'Free Cash flow', 'Operating Cash flow', 'EBITDA', 'Revenue Growth', 'Gross Margins', 'Ebitda Margins',
    ]);
    assert.deepEqual(
      { ...info, Summary: undefined },
      {
        Name: 'NVDA Corp',
        Symbol: 'NVDA',
        'Current Stock Price': '181.25 USD',
        'Market Cap': '1812500000000 USD',
        Sector: 'Technology',
        Industry: 'Semiconductors',
        Address: '2788 San Tomas Expressway',
        City: 'Santa Clara',
        State: 'CA',
        Zip: '95051',
        Country: 'United States',
        EPS: 3.6,
        'P/E Ratio': 50.1,
        '52 Week Low': 108.75,
        '52 Week High': 199.38,
        '50 Day Average': 172.19,
        '200 Day Average': 163.13,
        Website: 'https://www.nvda.example',
        Summary: undefined,
        'Analyst Recommendation': 'strong_buy',
        'Number Of Analyst Opinions': 60,
        Employees: 36_000,
        'Total Cash': 6e10,
        'Free Cash flow': 5e10,
        'Operating Cash flow': 8e10,
        EBITDA: 1e11,
        'Revenue Growth': 0.62,
        'Gross Margins': 0.75,
        'Ebitda Margins': 0.6,
      },
    );
    assert.equal(info.Summary, 'NVDA Corporation makes accelerated computing chips.');
    await assert.rejects(call('get_company_info', { symbol: 'NOPE' }), /could not fetch the company profile of NOPE: Yahoo Finance answered 404: Quote not found for symbol: NOPE/);
  });

  it('get_stock_fundamentals: Agno’s keys, "N/A" where Yahoo has no value', async () => {
    assert.deepEqual(await call('get_stock_fundamentals', { symbol: 'MSFT' }), {
      symbol: 'MSFT',
      company_name: 'MSFT Corporation',
      sector: 'Technology',
      industry: 'Semiconductors',
      market_cap: 5_125_000_000_000,
      pe_ratio: 40.2,
      pb_ratio: 45.3,
      dividend_yield: 0.0002,
      eps: 3.6,
      beta: 1.7,
      '52_week_high': 563.75,
      '52_week_low': 307.5,
    });
    const sparse = (await call('get_stock_fundamentals', { symbol: 'GOOGL' })) as Record<string, unknown>;
    assert.equal(sparse.pe_ratio, 'N/A', 'forwardPE is {} or absent');
    assert.equal(sparse.dividend_yield, 'N/A');
    assert.equal(sparse.pb_ratio, 45.3);
  });

  it('get_analyst_recommendations: the recommendation trend, keyed by row as pandas’ to_json(orient="index")', async () => {
    const trend = (await call('get_analyst_recommendations', { symbol: 'NVDA' })) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(trend), ['0', '1', '2', '3']);
    assert.deepEqual(trend['0'], { period: '0m', strongBuy: 12, buy: 40, hold: 6, sell: 1, strongSell: 0 });
    assert.equal(trend['3']?.period, '-3m');
  });

  it('get_historical_stock_prices: daily rows at the exchange’s midnight (across DST), adjusted for dividends, with events', async () => {
    const history = (await call('get_historical_stock_prices', { symbol: 'NVDA' })) as Record<string, Record<string, number>>;
    const keys = Object.keys(history);
    assert.equal(keys.length, 21, 'period 1mo, interval 1d by default: 21 trading days');
    assert.equal(keys[0], utc(2025, 9, 17, 4), 'Friday 17 Oct 2025, 00:00 EDT');
    assert.equal(keys.at(-1), utc(2025, 10, 14, 5), 'Friday 14 Nov 2025, 00:00 EST');
    assert.deepEqual(Object.keys(history[keys[0]!]!), ['Open', 'High', 'Low', 'Close', 'Volume', 'Dividends', 'Stock Splits']);
    // The dividend's row and later ones are as traded; earlier rows are scaled by Yahoo's adjusted close.
    assert.deepEqual(history[keys[18]!], { Open: 179.25, High: 182.25, Low: 178.25, Close: 180.25, Volume: 1_018_000, Dividends: FAKE_DIVIDEND, 'Stock Splits': 0 });
    assert.deepEqual(history[keys.at(-1)!], { Open: 180.25, High: 183.25, Low: 179.25, Close: 181.25, Volume: 1_020_000, Dividends: 0, 'Stock Splits': 0 });
    const before = history[keys[17]!]!;
    const ratio = 179.74 / 179.75;
    assert.equal(before.Close, 179.74);
    assert.ok(Math.abs(before.Open! - 178.75 * ratio) < 1e-9 && before.Open !== 178.75, `Open adjusted: ${before.Open}`);
    assert.ok(Math.abs(before.High! - 181.75 * ratio) < 1e-9);

    const googl = (await call('get_historical_stock_prices', { symbol: 'GOOGL', period: '5d', interval: '1d' })) as Record<string, Record<string, number>>;
    const rows = Object.values(googl);
    assert.equal(rows.length, 4, 'the empty (all-null) bar is dropped, as yfinance does');
    assert.deepEqual(rows.map((row) => row['Stock Splits']), [0, 0, FAKE_SPLIT.numerator / FAKE_SPLIT.denominator, 0]);
    assert.equal(rows.at(-1)?.Close, 245.1);

    const weekly = (await call('get_historical_stock_prices', { symbol: 'MSFT', period: '3mo', interval: '1wk' })) as Record<string, unknown>;
    assert.equal(Object.keys(weekly).length, 13);
  });

  it('get_historical_stock_prices: intraday rows at their own time; Yahoo’s refusals as readable errors', async () => {
    const bars = (await call('get_historical_stock_prices', { symbol: 'NVDA', period: '1d', interval: '5m' })) as Record<string, Record<string, number>>;
    const keys = Object.keys(bars);
    assert.equal(keys.length, 78);
    assert.equal(keys[0], utc(2025, 10, 14, 14, 30), '09:30 New York time');
    assert.equal(Number(keys[1]) - Number(keys[0]), 5 * 60_000);
    await assert.rejects(
      call('get_historical_stock_prices', { symbol: 'NVDA', period: '1mo', interval: '1m' }),
      /could not fetch historical prices of NVDA: Yahoo Finance answered 422: 1m data not available .* Only 7 days worth of 1m granularity data/,
    );
    await assert.rejects(call('get_historical_stock_prices', { symbol: 'NOPE' }), /Yahoo Finance answered 404: No data found, symbol may be delisted/);
  });

  it('get_company_news: the search endpoint’s news items, 3 by default', async () => {
    const news = (await call('get_company_news', { symbol: 'NVDA', num_stories: 2 })) as { title: string; publisher: string; link: string; providerPublishTime: number }[];
    assert.deepEqual(news.map((n) => [n.title, n.publisher]), [['NVDA news 1', 'Yahoo Finance'], ['NVDA news 2', 'Reuters']]);
    assert.match(news[0]!.link, /^https:\/\/finance\.yahoo\.com\/news\//);
    assert.equal(((await call('get_company_news', { symbol: 'msft' })) as unknown[]).length, 3);
  });

  it('sends a browser User-Agent Yahoo accepts', () => {
    assert.ok(yahoo.userAgents.length > 0);
    assert.ok(yahoo.userAgents.every((agent) => agent === YAHOO_USER_AGENT), [...new Set(yahoo.userAgents)].join(' | '));
  });

  it('honours YAHOO_FINANCE_API_URL (an empty value means unset), the cookie then coming from its `/`', async () => {
    const saved = process.env.YAHOO_FINANCE_API_URL;
    process.env.YAHOO_FINANCE_API_URL = `${yahoo.url}/`;
    try {
      const cookies = yahoo.cookiesIssued();
      const kit = toolsOf(new YFinanceTools({ baseURL: '' }));
      assert.equal(await call('get_current_stock_price', { symbol: 'GOOGL' }, undefined, kit), '245.1000');
      assert.equal(((await call('get_stock_fundamentals', { symbol: 'GOOGL' }, undefined, kit)) as { symbol: string }).symbol, 'GOOGL');
      assert.equal(yahoo.cookiesIssued() - cookies, 1);
    } finally {
      if (saved === undefined) delete process.env.YAHOO_FINANCE_API_URL;
      else process.env.YAHOO_FINANCE_API_URL = saved;
    }
  });
});

describe('YFinanceTools: Yahoo’s cookie and crumb', () => {
  const counts = () => ({ cookies: yahoo.cookiesIssued(), crumbs: yahoo.count('/v1/test/getcrumb'), summaries: yahoo.count('/v10/finance/quoteSummary/') });
  const since = (start: ReturnType<typeof counts>) => {
    const now = counts();
    return { cookies: now.cookies - start.cookies, crumbs: now.crumbs - start.crumbs, summaries: now.summaries - start.summaries };
  };

  it('fetches the cookie and crumb on the first quoteSummary call and reuses them after', async () => {
    const kit = freshTools();
    const start = counts();
    await call('get_company_info', { symbol: 'NVDA' }, undefined, kit);
    assert.deepEqual(since(start), { cookies: 1, crumbs: 1, summaries: 1 });
    await call('get_stock_fundamentals', { symbol: 'MSFT' }, undefined, kit);
    await call('get_analyst_recommendations', { symbol: 'GOOGL' }, undefined, kit);
    assert.deepEqual(since(start), { cookies: 1, crumbs: 1, summaries: 3 });
    await call('get_current_stock_price', { symbol: 'NVDA' }, undefined, kit);
    await call('get_company_news', { symbol: 'NVDA' }, undefined, kit);
    assert.deepEqual(since(start), { cookies: 1, crumbs: 1, summaries: 3 }, 'chart and search need no crumb');
  });

  it('shares one session between concurrent calls', async () => {
    const kit = freshTools();
    const start = counts();
    await Promise.all(['NVDA', 'MSFT', 'GOOGL'].map((symbol) => call('get_analyst_recommendations', { symbol }, undefined, kit)));
    assert.deepEqual(since(start), { cookies: 1, crumbs: 1, summaries: 3 });
  });

  it('gets a new cookie and crumb once when Yahoo answers 401 (an expired crumb)', async () => {
    const kit = freshTools();
    await call('get_analyst_recommendations', { symbol: 'NVDA' }, undefined, kit);
    yahoo.expireCrumb();
    const start = counts();
    const trend = (await call('get_analyst_recommendations', { symbol: 'NVDA' }, undefined, kit)) as Record<string, { buy: number }>;
    assert.equal(trend['0']?.buy, 40);
    assert.deepEqual(since(start), { cookies: 1, crumbs: 1, summaries: 2 });
    await call('get_analyst_recommendations', { symbol: 'MSFT' }, undefined, kit);
    assert.deepEqual(since(start), { cookies: 1, crumbs: 1, summaries: 3 }, 'the new session is reused');
  });

  it('refreshes only once: a crumb Yahoo keeps rejecting is a readable error', async () => {
    const kit = freshTools();
    await call('get_analyst_recommendations', { symbol: 'NVDA' }, undefined, kit);
    yahoo.rejectCrumbs(2);
    const start = counts();
    await assert.rejects(call('get_company_info', { symbol: 'NVDA' }, undefined, kit), /could not fetch the company profile of NVDA: Yahoo Finance answered 401: Invalid Crumb/);
    assert.deepEqual(since(start), { cookies: 1, crumbs: 1, summaries: 2 });
  });

  it('a failed crumb request is a readable error and is not cached', async () => {
    const kit = freshTools();
    yahoo.failNext('/v1/test/getcrumb', 'status500');
    await assert.rejects(call('get_company_info', { symbol: 'NVDA' }, undefined, kit), /could not get a Yahoo Finance session \(cookie and crumb\): 127\.0\.0\.1:\d+ answered 500/);
    assert.equal(((await call('get_company_info', { symbol: 'NVDA' }, undefined, kit)) as { Name: string }).Name, 'NVDA Corp');
  });

  it('a slow crumb request ends the call at its own timeout', async () => {
    const kit = freshTools();
    yahoo.failNext('/v1/test/getcrumb', 'slow');
    const heldBefore = yahoo.held();
    await assert.rejects(call('get_company_info', { symbol: 'NVDA' }, AbortSignal.timeout(300), kit), /getting a Yahoo Finance session did not finish before the timeout/);
    assert.equal(yahoo.held(), heldBefore + 1, 'gave up at the timeout, before the held answer');
  });
});

describe('YFinanceTools: failures', () => {
  it('an HTTP 500 is a readable error', async () => {
    yahoo.failNext('/v1/finance/search', 'status500');
    await assert.rejects(call('get_company_news', { symbol: 'NVDA' }), /could not fetch news for NVDA: 127\.0\.0\.1:\d+ answered 500 Internal Server Error/);
    yahoo.failNext('/v8/finance/chart/', 'status500');
    await assert.rejects(call('get_current_stock_price', { symbol: 'NVDA' }), /could not fetch the current price of NVDA: .*answered 500/);
    yahoo.failNext('/v10/finance/quoteSummary/', 'status500');
    await assert.rejects(call('get_stock_fundamentals', { symbol: 'NVDA' }), /could not get the fundamentals of NVDA: .*answered 500/);
  });

  it('invalid JSON is a readable error', async () => {
    yahoo.failNext('/v8/finance/chart/', 'invalid_json');
    await assert.rejects(call('get_historical_stock_prices', { symbol: 'NVDA' }), /could not fetch historical prices of NVDA: 127\.0\.0\.1:\d+ answered with invalid JSON: "\{\\"truncated\\":"/);
    yahoo.failNext('/v10/finance/quoteSummary/', 'invalid_json');
    await assert.rejects(call('get_analyst_recommendations', { symbol: 'NVDA' }), /invalid JSON/);
    yahoo.failNext('/v1/finance/search', 'invalid_json');
    await assert.rejects(call('get_company_news', { symbol: 'NVDA' }), /invalid JSON/);
  });

  for (const [tool, path] of [
    ['get_current_stock_price', '/v8/finance/chart/'],
    ['get_stock_fundamentals', '/v10/finance/quoteSummary/'],
    ['get_company_news', '/v1/finance/search'],
  ] as const) {
    it(`a slow answer ends ${tool} promptly at the timeout`, async () => {
      yahoo.failNext(path, 'slow');
      const heldBefore = yahoo.held();
      await assert.rejects(call(tool, { symbol: 'NVDA' }, AbortSignal.timeout(300)), /did not answer before the timeout/);
      assert.equal(yahoo.held(), heldBefore + 1, 'gave up at the timeout, before the held answer');
    });
  }

  it('an unreachable service is a readable error', async () => {
    const port = await closedPort();
    const kit = toolsOf(new YFinanceTools({ baseURL: `http://127.0.0.1:${port}` }));
    await assert.rejects(call('get_current_stock_price', { symbol: 'NVDA' }, undefined, kit), new RegExp(`could not fetch the current price of NVDA: 127\\.0\\.0\\.1:${port} could not be reached: ECONNREFUSED`));
  });
});

describe('YFinanceTools: a model’s bad arguments', () => {
  it('accepts Agno’s arguments and defaults', () => {
    assert.deepEqual(validateArguments(schemaOf('get_historical_stock_prices'), { symbol: 'NVDA' }), []);
    assert.deepEqual(validateArguments(schemaOf('get_historical_stock_prices'), { symbol: 'NVDA', period: 'ytd', interval: '1wk' }), []);
    assert.deepEqual(validateArguments(schemaOf('get_company_news'), { symbol: 'NVDA', num_stories: 5 }), []);
  });

  it('rejects periods and intervals Yahoo does not accept', () => {
    const schema = schemaOf('get_historical_stock_prices');
    const oneOf = (values: string[]) => values.map((v) => JSON.stringify(v)).join(', ');
    assert.deepEqual(validateArguments(schema, { symbol: 'NVDA', period: '2w' }), [`arguments.period must be one of ${oneOf(PERIODS)}`]);
    assert.deepEqual(validateArguments(schema, { symbol: 'NVDA', interval: '4h' }), [`arguments.interval must be one of ${oneOf(INTERVALS)}`]);
    assert.deepEqual(PERIODS, ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max']);
    assert.deepEqual(INTERVALS, ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo']);
  });

  it('rejects missing, mistyped and unknown arguments', () => {
    for (const name of ['get_current_stock_price', 'get_company_info', 'get_stock_fundamentals', 'get_analyst_recommendations']) {
      assert.deepEqual(validateArguments(schemaOf(name), {}), ['arguments.symbol is required'], name);
      assert.deepEqual(validateArguments(schemaOf(name), { symbol: 'NVDA', ticker: 'NVDA' }), ['arguments.ticker is not an accepted argument'], name);
    }
    assert.deepEqual(validateArguments(schemaOf('get_company_news'), { symbol: 3, num_stories: 99 }), ['arguments.symbol must be string, got integer', 'arguments.num_stories must be ≤ 20']);
    assert.deepEqual(validateArguments(schemaOf('get_company_news'), { symbol: 'NVDA', num_stories: '3' }), ['arguments.num_stories must be integer, got string']);
    assert.deepEqual(validateArguments(schemaOf('get_historical_stock_prices'), { symbol: ['NVDA'], period: 1 }), ['arguments.symbol must be string, got array', 'arguments.period must be string, got integer']);
  });
});
