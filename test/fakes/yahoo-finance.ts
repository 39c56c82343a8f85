/**
 * Loopback fake of Yahoo Finance: chart (`/v8/finance/chart/{symbol}`), quoteSummary
 * (`/v10/finance/quoteSummary/{symbol}`, which, like Yahoo, answers 401 without the session cookie
 * and crumb), the cookie (`/`) and crumb (`/v1/test/getcrumb`) endpoints, and news search
 * (`/v1/finance/search`). Values come as Yahoo sends them (`{ raw, fmt }` in quoteSummary).
 */
import { startHttpFake } from './http-fake.ts';
import type { HttpFake } from './http-fake.ts';

export const FAKE_PRICES: Record<string, number> = { NVDA: 181.25, MSFT: 512.5, GOOGL: 245.1 };
export const FAKE_CRUMB = 'fake-crumb-1';
const COOKIE = 'A3=fake-session';

const value = (raw: number) => ({ raw, fmt: raw.toFixed(2) });

function notFound(symbol: string) {
  return { status: 404, body: { chart: { result: null, error: { code: 'Not Found', description: `No data found, symbol may be delisted: ${symbol}` } } } };
}

export interface FakeYahoo extends HttpFake {
  /** Makes the current crumb stale: the next quoteSummary with it gets 401 (as when Yahoo rotates it). */
  expireCrumb(): void;
}

export async function startFakeYahooFinance(): Promise<FakeYahoo> {
  let crumb = FAKE_CRUMB;
  const fake = await startHttpFake((url, req) => {
    const hasCookie = (req.headers.cookie ?? '').includes(COOKIE);
    if (url.pathname === '/') return { status: 404, raw: 'Not found', headers: { 'set-cookie': `${COOKIE}; Path=/; HttpOnly` } };
    if (url.pathname === '/v1/test/getcrumb') return hasCookie ? { raw: crumb } : { status: 401, raw: '' };
    const chart = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    if (chart) {
      const symbol = decodeURIComponent(chart[1]!).toUpperCase();
      const price = FAKE_PRICES[symbol];
      if (price === undefined) return notFound(symbol);
      const days = url.searchParams.get('range') === '5d' ? 5 : 3;
      const timestamp = Array.from({ length: days }, (_, i) => 1_763_000_000 + i * 86_400);
      const series = (delta: number) => timestamp.map((_, i) => Number((price + delta + i).toFixed(2)));
      return {
        body: {
          chart: {
            result: [
              {
                meta: { currency: 'USD', symbol, exchangeName: 'NMS', regularMarketPrice: price, previousClose: price - 1, dataGranularity: url.searchParams.get('interval') ?? '1d', range: url.searchParams.get('range') ?? '1d' },
                timestamp,
                indicators: { quote: [{ open: series(-1), high: series(2), low: series(-2), close: series(0), volume: timestamp.map(() => 1_000_000) }] },
              },
            ],
            error: null,
          },
        },
      };
    }
    const summary = /^\/v10\/finance\/quoteSummary\/([^/]+)$/.exec(url.pathname);
    if (summary) {
      if (!hasCookie || url.searchParams.get('crumb') !== crumb) {
        return { status: 401, body: { finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } } };
      }
      const symbol = decodeURIComponent(summary[1]!).toUpperCase();
      const price = FAKE_PRICES[symbol];
      if (price === undefined) return { status: 404, body: { quoteSummary: { result: null, error: { code: 'Not Found', description: 'Quote not found for symbol' } } } };
      return {
        body: {
          quoteSummary: {
            result: [
              {
                price: { longName: `${symbol} Corporation`, symbol, regularMarketPrice: value(price), marketCap: value(price * 1e9) },
                assetProfile: { sector: 'Technology', industry: 'Semiconductors', address1: '1 Main St', city: 'Santa Clara', state: 'CA', zip: '95051', country: 'United States', website: 'https://example.com', longBusinessSummary: `${symbol} makes chips.`, fullTimeEmployees: 36000 },
                summaryDetail: { trailingPE: value(50), fiftyTwoWeekLow: value(price * 0.6), fiftyTwoWeekHigh: value(price * 1.1), fiftyDayAverage: value(price * 0.95), twoHundredDayAverage: value(price * 0.9), dividendYield: value(0.0003), beta: value(1.7) },
                defaultKeyStatistics: { trailingEps: value(3.6), priceToBook: value(45), beta: value(1.7) },
                financialData: { recommendationKey: 'buy', numberOfAnalystOpinions: value(60), totalCash: value(4e10), freeCashflow: value(6e10), operatingCashflow: value(7e10), ebitda: value(9e10), revenueGrowth: value(0.6), grossMargins: value(0.75), ebitdaMargins: value(0.6) },
                recommendationTrend: { trend: [{ period: '0m', strongBuy: 12, buy: 40, hold: 6, sell: 1, strongSell: 0 }, { period: '-1m', strongBuy: 11, buy: 39, hold: 7, sell: 1, strongSell: 0 }] },
              },
            ],
            error: null,
          },
        },
      };
    }
    if (url.pathname === '/v1/finance/search') {
      const query = (url.searchParams.get('q') ?? '').toUpperCase();
      const count = Number(url.searchParams.get('newsCount') ?? 8);
      const news = Array.from({ length: 5 }, (_, i) => ({ uuid: `n${i}`, title: `${query} news ${i + 1}`, publisher: 'Example Wire', link: `https://example.com/${query}/${i}`, providerPublishTime: 1_763_000_000 + i, type: 'STORY', relatedTickers: [query] }));
      return { body: { count: news.length, quotes: [], news: news.slice(0, count) } };
    }
    return undefined;
  });
  return {
    ...fake,
    expireCrumb() {
      crumb = `${crumb}x`;
    },
  };
}
