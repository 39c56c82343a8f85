/**
 * Stock data from Yahoo Finance's public endpoints, with the function names, arguments and output
 * shapes of Agno's `YFinanceTools` (which reads them through the `yfinance` package):
 *
 * - `get_current_stock_price`: the chart endpoint's `regularMarketPrice`, as `"181.2500"`;
 * - `get_company_info`, `get_stock_fundamentals`: quoteSummary's modules flattened into one record,
 *   as yfinance's `Ticker.info` does, then the keys Agno picks ("Name", "Current Stock Price", … /
 *   `company_name`, `pe_ratio`, …);
 * - `get_historical_stock_prices`: the chart endpoint as yfinance's `history()` gives it (prices
 *   adjusted for splits and dividends, daily rows at the exchange's midnight) in pandas'
 *   `to_json(orient="index")` shape: `{ "<epoch ms>": { Open, High, Low, Close, Volume, Dividends, "Stock Splits" } }`;
 * - `get_analyst_recommendations`: quoteSummary's `recommendationTrend`, as `{ "0": { period, strongBuy, … } }`;
 * - `get_company_news`: the search endpoint's news items.
 *
 * Unlike Agno, failures are thrown as readable errors (the model gets them as text, and the call
 * is marked as failed) instead of being returned as output.
 *
 * `YAHOO_FINANCE_API_URL` (or `baseURL`) points it elsewhere. Yahoo's quoteSummary needs a session
 * cookie and a "crumb": the toolkit fetches both once (the cookie from fc.yahoo.com, or from the
 * overridden base URL's `/`; the crumb from `/v1/test/getcrumb`), reuses them for every call,
 * and fetches them again once when Yahoo answers 401 (a rotated crumb).
 */
import { defineTool, Toolkit } from '../definitions/tool.ts';
import { baseUrl, fetchAnyStatus, fetchJson, fetchResponse, HttpStatusError, readText } from './http.ts';

export const YAHOO_FINANCE_DEFAULT_URL = 'https://query1.finance.yahoo.com';
export const YAHOO_COOKIE_URL = 'https://fc.yahoo.com';
/** Yahoo answers 429 to many non-browser User-Agents; it accepts a browser's. */
export const YAHOO_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** The `range` values Yahoo's chart endpoint accepts (yfinance's `period`). */
export const PERIODS = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'];
/** The `interval` values Yahoo's chart endpoint accepts. */
export const INTERVALS = ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo'];
/** The quoteSummary modules yfinance's `Ticker.info` flattens (`price` standing in for its v7 quote call), later ones overriding earlier ones. */
const INFO_MODULES = ['quoteType', 'financialData', 'defaultKeyStatistics', 'assetProfile', 'summaryDetail', 'price'];
/** Upper bound for getting the cookie and crumb; shared by concurrent calls, so not tied to one call's signal. */
const SESSION_TIMEOUT_MS = 10_000;

type Json = Record<string, unknown>;
interface Session {
  cookie: string;
  crumb: string;
}
interface ChartResult {
  meta: { regularMarketPrice?: number; exchangeTimezoneName?: string; instrumentType?: string; [key: string]: unknown };
  timestamp?: number[];
  events?: {
    dividends?: Record<string, { amount: number; date: number }>;
    splits?: Record<string, { date: number; numerator: number; denominator: number }>;
    capitalGains?: Record<string, { amount: number; date: number }>;
  };
  indicators?: { quote?: Record<string, (number | null)[] | undefined>[]; adjclose?: { adjclose?: (number | null)[] }[] };
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A quoteSummary value as yfinance reads it: `{ raw, fmt }` → raw, `{}` (Yahoo's "no value") → undefined. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (isObject(value)) {
    if ('raw' in value) return value.raw;
    const entries = Object.entries(value);
    return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([key, item]) => [key, plain(item)]));
  }
  return typeof value === 'string' ? value.replace(/\u00a0/g, ' ') : value;
}

/** quoteSummary's modules as one flat record, without missing values (yfinance's `Ticker.info`). */
function flattenInfo(result: Json, symbol: string): Json {
  const info: Json = {};
  for (const name of INFO_MODULES) {
    const module = result[name];
    if (!isObject(module)) continue;
    for (const [key, value] of Object.entries(module)) {
      const v = plain(value);
      if (v !== undefined && v !== null) info[key] = v;
    }
  }
  info.symbol = symbol;
  return info;
}

/** Python's `dict.get(key, fallback)`: the fallback only when the key is absent. */
const get = (info: Json, key: string, fallback: unknown = null) => (key in info ? info[key] : fallback);
const text = (value: unknown) => (value === null || value === undefined ? 'N/A' : String(value));

/** pandas' `to_json` keeps 10 decimal places. */
const round10 = (value: number | null) => (value === null || !Number.isFinite(value) ? null : Number(value.toFixed(10)));

const formatters = new Map<string, Intl.DateTimeFormat>();
/** A formatter of wall-clock time in `timeZone` (UTC for a zone this runtime does not know). */
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    const options = { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
    try {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Epoch ms of the midnight starting the day of `seconds` in `timeZone` (yfinance puts daily rows there). */
function exchangeMidnight(seconds: number, timeZone: string): number {
  const formatter = wallClock(timeZone);
  // How far the zone's wall clock is ahead of UTC at `ms`.
  const offset = (ms: number) => {
    const parts = Object.fromEntries(formatter.formatToParts(ms).map((part) => [part.type, Number(part.value)]));
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - Math.floor(ms / 1000) * 1000;
  };
  const local = new Date(seconds * 1000 + offset(seconds * 1000));
  const midnightAsUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  // The instant whose wall clock reads that midnight (two steps settle the offset across a DST change).
  return midnightAsUtc - offset(midnightAsUtc - offset(midnightAsUtc));
}

/** What Yahoo said was wrong (`{ chart | quoteSummary | finance: { error: { description } } }`), else the error's own message. */
function yahooReason(err: unknown): string {
  if (err instanceof HttpStatusError) {
    try {
      const body = JSON.parse(err.body) as Record<string, { error?: { description?: string } } | undefined>;
      const description = Object.values(body).find((part) => part?.error?.description)?.error?.description;
      if (description) return `Yahoo Finance answered ${err.status}: ${description}`;
    } catch {
      // not JSON: the status line and body start say it
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** Rejects when `signal` aborts, even if `promise` (shared with other calls) goes on. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error(`${what} was aborted`, { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const timeout = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
      reject(new Error(timeout ? `${what} did not finish before the timeout` : `${what} was aborted`, { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function normalizeSymbol(symbol: string): string {
  const trimmed = symbol.trim().toUpperCase();
  if (!trimmed) throw new Error('the symbol is empty; give a stock symbol such as NVDA');
  return trimmed;
}

const symbolSchema = { symbol: { type: 'string', description: 'The stock symbol, e.g. NVDA (Yahoo Finance symbols: BRK-B, ^GSPC, SAP.DE, BTC-USD).' } };
const symbolOnly = { type: 'object', properties: symbolSchema, required: ['symbol'], additionalProperties: false };

export interface YFinanceToolsOptions {
  /** Yahoo Finance's API (default `YAHOO_FINANCE_API_URL`, else https://query1.finance.yahoo.com). */
  baseURL?: string;
  /** Where the session cookie comes from (default https://fc.yahoo.com, or the base URL's `/` when the base URL is overridden). */
  cookieURL?: string;
}

export class YFinanceTools extends Toolkit {
  constructor(options: YFinanceToolsOptions = {}) {
    const base = () => baseUrl(options.baseURL, process.env.YAHOO_FINANCE_API_URL, YAHOO_FINANCE_DEFAULT_URL);
    const headers = (extra: Record<string, string> = {}) => ({ 'user-agent': YAHOO_USER_AGENT, ...extra });

    // The cookie and crumb, shared by this toolkit's calls; undefined until needed and after a failure.
    let session: Promise<Session> | undefined;

    const newSession = async (signal: AbortSignal): Promise<Session> => {
      const overridden = Boolean(options.baseURL || process.env.YAHOO_FINANCE_API_URL);
      const cookieUrl = options.cookieURL || (overridden ? `${base()}/` : YAHOO_COOKIE_URL);
      // The cookie page itself answers 404 (or redirects to a consent page); only its Set-Cookie matters.
      const page = await fetchAnyStatus(cookieUrl, signal, { redirect: 'manual', headers: headers({ accept: 'text/html,*/*' }) });
      await page.body?.cancel();
      const cookie = page.headers
        .getSetCookie()
        .map((line) => line.split(';')[0]!.trim())
        .filter(Boolean)
        .join('; ');
      const crumbUrl = `${base()}/v1/test/getcrumb`;
      const answer = await fetchResponse(crumbUrl, signal, { headers: headers({ accept: 'text/plain,*/*', ...(cookie ? { cookie } : {}) }) });
      const crumb = (await readText(answer, crumbUrl, signal)).trim();
      if (!crumb || crumb.length > 100 || /[\s<>]/.test(crumb) || /too many requests/i.test(crumb)) {
        throw new Error(`Yahoo Finance gave no usable crumb${cookie ? '' : ' (and no session cookie)'}: ${JSON.stringify(crumb.slice(0, 60))}`);
      }
      return { cookie, crumb };
    };

    const currentSession = (): Promise<Session> => {
      if (!session) {
        const created = newSession(AbortSignal.timeout(SESSION_TIMEOUT_MS)).catch((err: unknown) => {
          throw new Error(`could not get a Yahoo Finance session (cookie and crumb): ${yahooReason(err)}`, { cause: err });
        });
        session = created;
        created.catch(() => {
          if (session === created) session = undefined;
        });
      }
      return session;
    };

    /** quoteSummary's result for `modules`, with the session's cookie and crumb; a 401 gets a new session, once. */
    const quoteSummary = async (symbol: string, modules: string[], signal: AbortSignal): Promise<Json> => {
      for (let attempt = 1; ; attempt++) {
        const used = currentSession();
        const { cookie, crumb } = await untilAborted(used, signal, 'getting a Yahoo Finance session');
        const url = `${base()}/v10/finance/quoteSummary/${encodeURIComponent(symbol)}?modules=${modules.join(',')}&crumb=${encodeURIComponent(crumb)}`;
        let data: { quoteSummary?: { result?: Json[] | null; error?: { description?: string } | null } };
        try {
          data = (await fetchJson(url, signal, { headers: headers(cookie ? { cookie } : {}) })) as typeof data;
        } catch (err) {
          if (err instanceof HttpStatusError && err.status === 401 && attempt === 1) {
            // The crumb (or cookie) expired: forget it, unless another call has already replaced it.
            if (session === used) session = undefined;
            continue;
          }
          throw err;
        }
        const result = data.quoteSummary?.result?.[0];
        if (!isObject(result)) throw new Error(`Yahoo Finance has no data for ${symbol}: ${data.quoteSummary?.error?.description ?? 'empty answer'}`);
        return result;
      }
    };

    const chart = async (symbol: string, params: string, signal: AbortSignal): Promise<ChartResult> => {
      const url = `${base()}/v8/finance/chart/${encodeURIComponent(symbol)}?${params}`;
      const data = (await fetchJson(url, signal, { headers: headers() })) as { chart?: { result?: ChartResult[] | null; error?: { description?: string } | null } };
      const result = data.chart?.result?.[0];
      if (!isObject(result)) throw new Error(`Yahoo Finance has no chart data for ${symbol}: ${data.chart?.error?.description ?? 'empty answer'}`);
      return result;
    };

    /** Throws a failure again, saying what the tool could not do (Yahoo's own explanation when it gave one). */
    const failing = (what: string) => (err: unknown): never => {
      throw new Error(`could not ${what}: ${yahooReason(err)}`, { cause: err });
    };

    super('yfinance_tools', [
      defineTool<{ symbol: string }>({
        name: 'get_current_stock_price',
        description: 'Use this function to get the current stock price for a given symbol. Returns the price as a string, e.g. "181.2500".',
        parameters: symbolOnly,
        timeoutMs: 15_000,
        async execute(args, { signal }) {
          const symbol = normalizeSymbol(args.symbol);
          const price = await chart(symbol, 'range=1d&interval=1d', signal).then((result) => result.meta.regularMarketPrice, failing(`fetch the current price of ${symbol}`));
          if (typeof price !== 'number' || !price) throw new Error(`could not fetch the current price of ${symbol}: Yahoo Finance gave no regularMarketPrice`);
          return price.toFixed(4);
        },
      }),
      defineTool<{ symbol: string }>({
        name: 'get_company_info',
        description:
          'Use this function to get company information and overview for a given stock symbol: name, price, market cap, sector, industry, address, EPS, P/E, 52-week range, moving averages, website, summary, analyst recommendation, employees, cash flows, margins. Returns JSON.',
        parameters: symbolOnly,
        timeoutMs: 20_000,
        async execute(args, { signal }) {
          const symbol = normalizeSymbol(args.symbol);
          const info = flattenInfo(await quoteSummary(symbol, INFO_MODULES, signal).catch(failing(`fetch the company profile of ${symbol}`)), symbol);
          const currency = text(get(info, 'currency', 'USD'));
          return {
            Name: get(info, 'shortName'),
            Symbol: get(info, 'symbol'),
            'Current Stock Price': `${text(get(info, 'regularMarketPrice', get(info, 'currentPrice')))} ${currency}`,
            'Market Cap': `${text(get(info, 'marketCap', get(info, 'enterpriseValue')))} ${currency}`,
            Sector: get(info, 'sector'),
            Industry: get(info, 'industry'),
            Address: get(info, 'address1'),
            City: get(info, 'city'),
            State: get(info, 'state'),
            Zip: get(info, 'zip'),
            Country: get(info, 'country'),
            EPS: get(info, 'trailingEps'),
            'P/E Ratio': get(info, 'trailingPE'),
            '52 Week Low': get(info, 'fiftyTwoWeekLow'),
            '52 Week High': get(info, 'fiftyTwoWeekHigh'),
            '50 Day Average': get(info, 'fiftyDayAverage'),
            '200 Day Average': get(info, 'twoHundredDayAverage'),
            Website: get(info, 'website'),
            Summary: get(info, 'longBusinessSummary'),
            'Analyst Recommendation': get(info, 'recommendationKey'),
            'Number Of Analyst Opinions': get(info, 'numberOfAnalystOpinions'),
            Employees: get(info, 'fullTimeEmployees'),
            'Total Cash': get(info, 'totalCash'),
            'Free Cash flow': get(info, 'freeCashflow'),
            'Operating Cash flow': get(info, 'operatingCashflow'),
            EBITDA: get(info, 'ebitda'),
            'Revenue Growth': get(info, 'revenueGrowth'),
            'Gross Margins': get(info, 'grossMargins'),
            'Ebitda Margins': get(info, 'ebitdaMargins'),
          };
        },
      }),
      defineTool<{ symbol: string; period?: string; interval?: string }>({
        name: 'get_historical_stock_prices',
        description:
          'Use this function to get the historical stock prices for a given symbol: JSON keyed by each row\'s time (epoch milliseconds), with Open, High, Low, Close (adjusted for splits and dividends), Volume, Dividends and Stock Splits. Intraday intervals (1m … 1h) only reach back 7 days (1m) or 60 days (730 for 60m/1h). Each row costs ~150 characters: for periods over 1y prefer 1wk or 1mo intervals.',
        parameters: {
          type: 'object',
          properties: {
            ...symbolSchema,
            period: { type: 'string', enum: PERIODS, description: 'The period for which to retrieve historical prices. Defaults to "1mo".' },
            interval: { type: 'string', enum: INTERVALS, description: 'The interval between data points. Defaults to "1d".' },
          },
          required: ['symbol'],
          additionalProperties: false,
        },
        timeoutMs: 20_000,
        async execute(args, { signal }) {
          const symbol = normalizeSymbol(args.symbol);
          const { period = '1mo', interval = '1d' } = args;
          const result = await chart(symbol, `range=${period}&interval=${interval}&includePrePost=false&events=div%2Csplits%2CcapitalGains`, signal).catch(
            failing(`fetch historical prices of ${symbol}`),
          );
          const times = result.timestamp ?? [];
          const quote = result.indicators?.quote?.[0] ?? {};
          const adjclose = result.indicators?.adjclose?.[0]?.adjclose;
          if (times.length === 0) throw new Error(`could not fetch historical prices of ${symbol}: Yahoo Finance has no price data for period=${period}, interval=${interval}`);

          const intraday = /[mh]$/.test(interval);
          const zone = result.meta.exchangeTimezoneName ?? 'UTC';
          const key = (seconds: number) => (intraday ? seconds * 1000 : exchangeMidnight(seconds, zone));
          const column = (name: string, i: number) => quote[name]?.[i] ?? null;
          const withGains = result.meta.instrumentType === 'ETF' || result.meta.instrumentType === 'MUTUALFUND';

          const rows = times.map((seconds, i) => {
            const close = column('close', i);
            const adjusted = adjclose?.[i] ?? close;
            // auto_adjust: Close becomes the adjusted close, Open/High/Low scale with it.
            const ratio = close !== null && adjusted !== null && close !== 0 ? adjusted / close : 1;
            const scaled = (value: number | null) => (value === null ? null : round10(value * ratio));
            const row: Record<string, number | null> = {
              Open: scaled(column('open', i)),
              High: scaled(column('high', i)),
              Low: scaled(column('low', i)),
              Close: round10(adjusted),
              Volume: column('volume', i) ?? 0,
              Dividends: 0,
              'Stock Splits': 0,
            };
            if (withGains) row['Capital Gains'] = 0;
            return { key: key(seconds), row };
          });
          // Events go to the row whose interval holds them.
          const rowOf = (seconds: number) => {
            const at = key(seconds);
            let found: (typeof rows)[number] | undefined;
            for (const candidate of rows) if (candidate.key <= at) found = candidate;
            return found?.row;
          };
          for (const dividend of Object.values(result.events?.dividends ?? {})) {
            const row = rowOf(dividend.date);
            if (row) row.Dividends = round10(row.Dividends! + dividend.amount);
          }
          for (const split of Object.values(result.events?.splits ?? {})) {
            const row = rowOf(split.date);
            if (row && split.denominator) row['Stock Splits'] = round10(split.numerator / split.denominator);
          }
          if (withGains) {
            for (const gain of Object.values(result.events?.capitalGains ?? {})) {
              const row = rowOf(gain.date);
              if (row) row['Capital Gains'] = round10(row['Capital Gains']! + gain.amount);
            }
          }
          // yfinance drops rows with nothing in them (all values missing or zero).
          const kept = rows.filter(({ row }) => Object.values(row).some((value) => value !== null && value !== 0));
          return Object.fromEntries(kept.map(({ key: time, row }) => [String(time), row]));
        },
      }),
      defineTool<{ symbol: string }>({
        name: 'get_stock_fundamentals',
        description:
          'Use this function to get fundamental data for a given stock symbol. Returns JSON with symbol, company_name, sector, industry, market_cap, pe_ratio (forward P/E), pb_ratio, dividend_yield, eps (trailing), beta, 52_week_high, 52_week_low.',
        parameters: symbolOnly,
        timeoutMs: 20_000,
        async execute(args, { signal }) {
          const symbol = normalizeSymbol(args.symbol);
          const info = flattenInfo(await quoteSummary(symbol, INFO_MODULES, signal).catch(failing(`get the fundamentals of ${symbol}`)), symbol);
          return {
            symbol,
            company_name: get(info, 'longName', ''),
            sector: get(info, 'sector', ''),
            industry: get(info, 'industry', ''),
            market_cap: get(info, 'marketCap', 'N/A'),
            pe_ratio: get(info, 'forwardPE', 'N/A'),
            pb_ratio: get(info, 'priceToBook', 'N/A'),
            dividend_yield: get(info, 'dividendYield', 'N/A'),
            eps: get(info, 'trailingEps', 'N/A'),
            beta: get(info, 'beta', 'N/A'),
            '52_week_high': get(info, 'fiftyTwoWeekHigh', 'N/A'),
            '52_week_low': get(info, 'fiftyTwoWeekLow', 'N/A'),
          };
        },
      }),
      defineTool<{ symbol: string }>({
        name: 'get_analyst_recommendations',
        description:
          'Use this function to get analyst recommendations for a given stock symbol: per period ("0m" = this month, "-1m" = last month, …) the number of strongBuy, buy, hold, sell and strongSell ratings. Returns JSON.',
        parameters: symbolOnly,
        timeoutMs: 20_000,
        async execute(args, { signal }) {
          const symbol = normalizeSymbol(args.symbol);
          const result = await quoteSummary(symbol, ['recommendationTrend'], signal).catch(failing(`fetch analyst recommendations for ${symbol}`));
          const trend = (result.recommendationTrend as { trend?: unknown } | undefined)?.trend;
          if (!Array.isArray(trend)) throw new Error(`could not fetch analyst recommendations for ${symbol}: Yahoo Finance sent no recommendation trend`);
          return Object.fromEntries(trend.map((row, i) => [String(i), plain(row)]));
        },
      }),
      defineTool<{ symbol: string; num_stories?: number }>({
        name: 'get_company_news',
        description: 'Use this function to get company news and press releases for a given stock symbol. Returns JSON: a list of stories (title, publisher, link, providerPublishTime, relatedTickers).',
        parameters: {
          type: 'object',
          properties: { ...symbolSchema, num_stories: { type: 'integer', minimum: 1, maximum: 20, description: 'The number of news stories to return. Defaults to 3.' } },
          required: ['symbol'],
          additionalProperties: false,
        },
        timeoutMs: 15_000,
        async execute(args, { signal }) {
          const symbol = normalizeSymbol(args.symbol);
          const count = args.num_stories ?? 3;
          const url = `${base()}/v1/finance/search?q=${encodeURIComponent(symbol)}&newsCount=${count}&quotesCount=0`;
          const data = await fetchJson(url, signal, { headers: headers() }).catch(failing(`fetch news for ${symbol}`));
          const news = isObject(data) && Array.isArray(data.news) ? data.news : [];
          return news.slice(0, count);
        },
      }),
    ]);
  }
}
