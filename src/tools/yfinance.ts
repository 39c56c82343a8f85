/**
 * Stock data from Yahoo Finance's public endpoints, with the function names and arguments of
 * Agno's `YFinanceTools`. `YAHOO_FINANCE_API_URL` (or `baseURL`) points it elsewhere.
 *
 * Yahoo's quoteSummary needs a session cookie and a "crumb": the toolkit fetches both once
 * (cookie from fc.yahoo.com, or the overridden base URL's `/`), reuses them, and fetches them
 * again once when Yahoo answers 401.
 */
import { defineTool, Toolkit } from './tool.ts';
import { baseUrl, fetchJson, fetchResponse, HttpStatusError } from './http.ts';

export const YAHOO_FINANCE_DEFAULT_URL = 'https://query1.finance.yahoo.com';
const YAHOO_COOKIE_URL = 'https://fc.yahoo.com';
export const PERIODS = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'];
export const INTERVALS = ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo'];

type Raw = { raw?: number; fmt?: string } | number | string | undefined;
type Module = Record<string, Raw>;
interface Summary {
  price?: Module;
  assetProfile?: Module;
  summaryDetail?: Module;
  defaultKeyStatistics?: Module;
  financialData?: Module;
  recommendationTrend?: { trend?: Record<string, unknown>[] };
}
interface Chart {
  chart: {
    result: { meta: { regularMarketPrice?: number }; timestamp?: number[]; indicators?: { quote?: Record<string, (number | null)[]>[] } }[] | null;
    error: { description: string } | null;
  };
}

/** quoteSummary values come as `{ raw, fmt }`. */
const raw = (value: Raw) => (typeof value === 'object' && value !== null ? value.raw : value);

const symbolParameter = { symbol: { type: 'string', description: 'The stock symbol, e.g. NVDA.' } };

export class YFinanceTools extends Toolkit {
  constructor(options: { baseURL?: string; cookieURL?: string } = {}) {
    const base = () => baseUrl(options.baseURL, process.env.YAHOO_FINANCE_API_URL, YAHOO_FINANCE_DEFAULT_URL);
    let session: Promise<{ cookie: string; crumb: string }> | undefined;

    const newSession = async (signal: AbortSignal) => {
      const overridden = Boolean(options.baseURL || process.env.YAHOO_FINANCE_API_URL);
      const cookieUrl = options.cookieURL ?? (overridden ? `${base()}/` : YAHOO_COOKIE_URL);
      // The cookie page itself answers 404; only its Set-Cookie matters.
      const page = await fetch(cookieUrl, { signal, redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0' } });
      const cookie = (page.headers.getSetCookie?.() ?? []).map((line) => line.split(';')[0]).join('; ');
      const crumb = (await (await fetchResponse(`${base()}/v1/test/getcrumb`, signal, { headers: { cookie, accept: 'text/plain' } })).text()).trim();
      if (!crumb) throw new Error('Yahoo Finance gave no crumb');
      return { cookie, crumb };
    };

    const quoteSummary = async (symbol: string, modules: string[], signal: AbortSignal): Promise<Summary> => {
      for (let attempt = 1; ; attempt++) {
        session ??= newSession(signal);
        let current: { cookie: string; crumb: string };
        try {
          current = await session;
        } catch (err) {
          session = undefined;
          throw err;
        }
        const url = `${base()}/v10/finance/quoteSummary/${encodeURIComponent(symbol)}?modules=${modules.join(',')}&crumb=${encodeURIComponent(current.crumb)}`;
        try {
          const data = (await fetchJson(url, signal, { headers: { cookie: current.cookie } })) as { quoteSummary?: { result?: Summary[] | null } };
          const result = data.quoteSummary?.result?.[0];
          if (!result) throw new Error(`no data for ${symbol}`);
          return result;
        } catch (err) {
          // A stale crumb: get a new session once.
          if (err instanceof HttpStatusError && err.status === 401 && attempt === 1) {
            session = undefined;
            continue;
          }
          throw err;
        }
      }
    };

    const chart = async (symbol: string, range: string, interval: string, signal: AbortSignal) => {
      const data = (await fetchJson(`${base()}/v8/finance/chart/${encodeURIComponent(symbol)}?range=${range}&interval=${interval}`, signal)) as Chart;
      const result = data.chart.result?.[0];
      if (!result) throw new Error(`no chart data for ${symbol}: ${data.chart.error?.description ?? 'unknown symbol'}`);
      return result;
    };

    super('yfinance_tools', [
      defineTool<{ symbol: string }>({
        name: 'get_current_stock_price',
        description: 'Get the current stock price for a given symbol.',
        parameters: { type: 'object', properties: symbolParameter, required: ['symbol'], additionalProperties: false },
        timeoutMs: 15_000,
        async execute({ symbol }, { signal }) {
          try {
            const price = (await chart(symbol, '1d', '1d', signal)).meta.regularMarketPrice;
            return price === undefined ? `Could not fetch current price for ${symbol}` : price.toFixed(4);
          } catch (err) {
            return `Error fetching current price for ${symbol}: ${(err as Error).message}`;
          }
        },
      }),
      defineTool<{ symbol: string }>({
        name: 'get_company_info',
        description: 'Get company information and an overview for a given stock symbol.',
        parameters: { type: 'object', properties: symbolParameter, required: ['symbol'], additionalProperties: false },
        timeoutMs: 20_000,
        async execute({ symbol }, { signal }) {
          const s = await quoteSummary(symbol, ['price', 'assetProfile', 'summaryDetail', 'defaultKeyStatistics', 'financialData'], signal);
          const [p, a, d, k, f] = [s.price ?? {}, s.assetProfile ?? {}, s.summaryDetail ?? {}, s.defaultKeyStatistics ?? {}, s.financialData ?? {}];
          const info: Record<string, unknown> = {
            Name: raw(p.longName),
            Symbol: raw(p.symbol) ?? symbol,
            'Current Stock Price': `${raw(p.regularMarketPrice)} ${raw(p.currency) ?? 'USD'}`,
            'Market Cap': `${raw(p.marketCap)} ${raw(p.currency) ?? 'USD'}`,
            Sector: raw(a.sector),
            Industry: raw(a.industry),
            Address: raw(a.address1),
            City: raw(a.city),
            State: raw(a.state),
            Zip: raw(a.zip),
            Country: raw(a.country),
            EPS: raw(k.trailingEps),
            'P/E Ratio': raw(d.trailingPE),
            '52 Week Low': raw(d.fiftyTwoWeekLow),
            '52 Week High': raw(d.fiftyTwoWeekHigh),
            '50 Day Average': raw(d.fiftyDayAverage),
            '200 Day Average': raw(d.twoHundredDayAverage),
            Website: raw(a.website),
            Summary: raw(a.longBusinessSummary),
            'Analyst Recommendation': raw(f.recommendationKey),
            'Number Of Analyst Opinions': raw(f.numberOfAnalystOpinions),
            Employees: raw(a.fullTimeEmployees),
            'Total Cash': raw(f.totalCash),
            'Free Cash flow': raw(f.freeCashflow),
            'Operating Cash flow': raw(f.operatingCashflow),
            EBITDA: raw(f.ebitda),
            'Revenue Growth': raw(f.revenueGrowth),
            'Gross Margins': raw(f.grossMargins),
            'Ebitda Margins': raw(f.ebitdaMargins),
          };
          return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined));
        },
      }),
      defineTool<{ symbol: string; period?: string; interval?: string }>({
        name: 'get_historical_stock_prices',
        description: 'Get the historical stock prices for a given symbol: open, high, low, close and volume per interval.',
        parameters: {
          type: 'object',
          properties: {
            ...symbolParameter,
            period: { type: 'string', enum: PERIODS, description: 'How far back (default 1mo).' },
            interval: { type: 'string', enum: INTERVALS, description: 'The interval between prices (default 1d).' },
          },
          required: ['symbol'],
          additionalProperties: false,
        },
        timeoutMs: 20_000,
        async execute({ symbol, period = '1mo', interval = '1d' }, { signal }) {
          const result = await chart(symbol, period, interval, signal);
          const quote = result.indicators?.quote?.[0] ?? {};
          const column = (name: string, i: number) => quote[name]?.[i] ?? null;
          return Object.fromEntries(
            (result.timestamp ?? []).map((time, i) => [
              new Date(time * 1000).toISOString(),
              { Open: column('open', i), High: column('high', i), Low: column('low', i), Close: column('close', i), Volume: column('volume', i) },
            ]),
          );
        },
      }),
      defineTool<{ symbol: string }>({
        name: 'get_stock_fundamentals',
        description: 'Get fundamental data for a given stock symbol: market cap, P/E, P/B, dividend yield, EPS, beta, 52-week range.',
        parameters: { type: 'object', properties: symbolParameter, required: ['symbol'], additionalProperties: false },
        timeoutMs: 20_000,
        async execute({ symbol }, { signal }) {
          const s = await quoteSummary(symbol, ['price', 'assetProfile', 'summaryDetail', 'defaultKeyStatistics'], signal);
          const [p, a, d, k] = [s.price ?? {}, s.assetProfile ?? {}, s.summaryDetail ?? {}, s.defaultKeyStatistics ?? {}];
          return {
            symbol,
            company_name: raw(p.longName) ?? 'N/A',
            sector: raw(a.sector) ?? 'N/A',
            industry: raw(a.industry) ?? 'N/A',
            market_cap: raw(p.marketCap) ?? 'N/A',
            pe_ratio: raw(d.trailingPE) ?? 'N/A',
            pb_ratio: raw(k.priceToBook) ?? 'N/A',
            dividend_yield: raw(d.dividendYield) ?? 'N/A',
            eps: raw(k.trailingEps) ?? 'N/A',
            beta: raw(d.beta) ?? raw(k.beta) ?? 'N/A',
            '52_week_high': raw(d.fiftyTwoWeekHigh) ?? 'N/A',
            '52_week_low': raw(d.fiftyTwoWeekLow) ?? 'N/A',
          };
        },
      }),
      defineTool<{ symbol: string }>({
        name: 'get_analyst_recommendations',
        description: 'Get analyst recommendations (strong buy … strong sell counts per period) for a given stock symbol.',
        parameters: { type: 'object', properties: symbolParameter, required: ['symbol'], additionalProperties: false },
        timeoutMs: 20_000,
        async execute({ symbol }, { signal }) {
          return (await quoteSummary(symbol, ['recommendationTrend'], signal)).recommendationTrend?.trend ?? [];
        },
      }),
      defineTool<{ symbol: string; num_stories?: number }>({
        name: 'get_company_news',
        description: 'Get the latest news for a given stock symbol.',
        parameters: {
          type: 'object',
          properties: { ...symbolParameter, num_stories: { type: 'integer', minimum: 1, maximum: 20, description: 'How many stories (default 3).' } },
          required: ['symbol'],
          additionalProperties: false,
        },
        timeoutMs: 15_000,
        async execute({ symbol, num_stories = 3 }, { signal }) {
          const data = (await fetchJson(`${base()}/v1/finance/search?q=${encodeURIComponent(symbol)}&newsCount=${num_stories}&quotesCount=0`, signal)) as { news?: unknown[] };
          return (data.news ?? []).slice(0, num_stories);
        },
      }),
    ]);
  }
}
