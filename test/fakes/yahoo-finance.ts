/**
 * Loopback fake of Yahoo Finance, speaking its response formats:
 *
 * - `/` (standing in for fc.yahoo.com): 404 with a fresh `A3` session cookie in Set-Cookie;
 * - `/v1/test/getcrumb`: the session's crumb as text/plain, 401 without a known cookie;
 * - `/v10/finance/quoteSummary/{symbol}?modules=…&crumb=…`: the requested modules, values as
 *   `{ raw, fmt }` and missing ones as `{}`; 401 "Invalid Crumb" without the cookie and its crumb;
 * - `/v8/finance/chart/{symbol}?range=…&interval=…`: meta, timestamps (09:30 New York time on
 *   weekdays), OHLCV, `adjclose` and dividend/split events for daily and longer intervals; 400 for
 *   an unknown interval or range, 422 for intraday data further back than Yahoo serves;
 * - `/v1/finance/search?q=…&newsCount=…&quotesCount=0`: news items.
 *
 * Unknown symbols answer 404 with Yahoo's error bodies. Failures are injected with `failNext`
 * (500, slow answer, invalid JSON); `expireCrumb()` makes every session stale, as when Yahoo
 * rotates crumbs.
 */
import { startHttpFake } from './http-fake.ts';
import type { HttpFake, Reply } from './http-fake.ts';

export const FAKE_PRICES: Record<string, number> = { NVDA: 181.25, MSFT: 512.5, GOOGL: 245.1 };
/** The crumb of the first session; later sessions get `fake-crumb-2`, … */
export const FAKE_CRUMB = 'fake-crumb-1';
export const FAKE_RANGES = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'];
export const FAKE_INTERVALS = ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo'];
/** NVDA's dividend (per share) in the fake's chart: on the third-last trading day. */
export const FAKE_DIVIDEND = 0.01;
/** GOOGL's split in the fake's chart: 20:1 on the second-last trading day. */
export const FAKE_SPLIT = { numerator: 20, denominator: 1 };
/** The last trading day of the fake's chart (a Friday); charts end there. */
const LAST_DAY = Date.UTC(2025, 10, 14);

/** Yahoo's formatted values. */
function value(raw: number, digits = 2) {
  const abs = Math.abs(raw);
  const fmt = abs >= 1e12 ? `${(raw / 1e12).toFixed(2)}T` : abs >= 1e9 ? `${(raw / 1e9).toFixed(2)}B` : abs >= 1e6 ? `${(raw / 1e6).toFixed(2)}M` : raw.toFixed(digits);
  return abs >= 1e6 ? { raw, fmt, longFmt: Math.round(raw).toLocaleString('en-US') } : { raw, fmt };
}
const percent = (raw: number) => ({ raw, fmt: `${(raw * 100).toFixed(2)}%` });
const round2 = (n: number) => Math.round(n * 100) / 100;

function chartError(status: number, code: string, description: string): Reply {
  return { status, body: { chart: { result: null, error: { code, description } } } };
}

/** Weekdays ending at LAST_DAY, oldest first, as UTC midnights. */
function tradingDays(count: number): number[] {
  const days: number[] = [];
  for (let day = LAST_DAY; days.length < count; day -= 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.unshift(day);
  }
  return days;
}

/** 09:30 in New York on `day` (EDT until 2025-11-02, EST after), in epoch seconds. */
const marketOpen = (day: number) => (day + (day < Date.UTC(2025, 10, 2) && day >= Date.UTC(2025, 2, 9) ? 13.5 : 14.5) * 3_600_000) / 1000;

const DAYS_PER_RANGE: Record<string, number> = { '1d': 1, '5d': 5, '1mo': 21, '3mo': 63, '6mo': 126, ytd: 220, '1y': 252, '2y': 504, '5y': 1260, '10y': 2520, max: 2520 };
const DAYS_PER_BAR: Record<string, number> = { '1d': 1, '5d': 5, '1wk': 5, '1mo': 21, '3mo': 63 };
const MINUTES_PER_BAR: Record<string, number> = { '1m': 1, '2m': 2, '5m': 5, '15m': 15, '30m': 30, '60m': 60, '90m': 90, '1h': 60 };

function chart(symbol: string, range: string, interval: string): Reply {
  const price = FAKE_PRICES[symbol];
  if (price === undefined) return chartError(404, 'Not Found', 'No data found, symbol may be delisted');
  if (!FAKE_INTERVALS.includes(interval)) return chartError(400, 'Bad Request', `Invalid input - interval=${interval} is not supported. Valid intervals: [${FAKE_INTERVALS.join(', ')}]`);
  if (!FAKE_RANGES.includes(range)) return chartError(400, 'Bad Request', `Invalid input - range=${range} is not supported. Valid ranges: [${FAKE_RANGES.join(', ')}]`);
  const days = DAYS_PER_RANGE[range]!;
  const minutes = MINUTES_PER_BAR[interval];
  const end = marketOpen(LAST_DAY) + 390 * 60;
  if (minutes !== undefined && (interval === '1m' ? days > 5 : interval === '60m' || interval === '1h' ? days > 504 : days > 42)) {
    const limit = interval === '1m' ? 'Only 7 days worth of 1m granularity data are allowed to be fetched per request.' : 'The requested range must be within the last 60 days.';
    return chartError(422, 'Unprocessable Entity', `${interval} data not available for startTime=${end - days * 86_400} and endTime=${end}. ${limit}`);
  }

  // One bar per trading day (or per N of them), or per N minutes of the 6.5-hour session.
  const timestamp =
    minutes === undefined
      ? tradingDays(days)
          .filter((_, i, all) => (all.length - 1 - i) % DAYS_PER_BAR[interval]! === 0)
          .map(marketOpen)
      : tradingDays(days).flatMap((day) => Array.from({ length: Math.ceil(390 / minutes) }, (_, i) => marketOpen(day) + i * minutes * 60));
  const n = timestamp.length;
  // Closes rise by 0.5 a bar to today's price; GOOGL's second bar is a gap (all null), as Yahoo sends for some days.
  const gap = (i: number) => symbol === 'GOOGL' && n > 2 && i === 1;
  const close = timestamp.map((_, i) => (gap(i) ? null : round2(price - (n - 1 - i) * 0.5)));
  const shift = (delta: number) => close.map((c) => (c === null ? null : round2(c + delta)));
  const quote = { open: shift(-1), high: shift(2), low: shift(-2), close, volume: close.map((c, i) => (c === null ? null : 1_000_000 + i * 1_000)) };

  const daily = minutes === undefined;
  const events: Record<string, unknown> = {};
  let adjclose = close;
  if (daily && symbol === 'NVDA' && n >= 3) {
    // A dividend on the third-last bar: earlier closes are adjusted by Yahoo's factor 1 - dividend / previous close.
    const exIndex = n - 3;
    const factor = 1 - FAKE_DIVIDEND / close[exIndex - 1 >= 0 ? exIndex - 1 : exIndex]!;
    adjclose = close.map((c, i) => (c === null ? null : i < exIndex ? Number((c * factor).toFixed(6)) : c));
    events.dividends = { [timestamp[exIndex]!]: { amount: FAKE_DIVIDEND, date: timestamp[exIndex] } };
  }
  if (daily && symbol === 'GOOGL' && n >= 2) {
    const at = timestamp[n - 2]!;
    events.splits = { [at]: { date: at, numerator: FAKE_SPLIT.numerator, denominator: FAKE_SPLIT.denominator, splitRatio: `${FAKE_SPLIT.numerator}:${FAKE_SPLIT.denominator}` } };
  }

  const meta = {
    currency: 'USD',
    symbol,
    exchangeName: 'NMS',
    fullExchangeName: 'NasdaqGS',
    instrumentType: 'EQUITY',
    firstTradeDate: 917_015_400,
    regularMarketTime: end,
    hasPrePostMarketData: true,
    gmtoffset: -18_000,
    timezone: 'EST',
    exchangeTimezoneName: 'America/New_York',
    regularMarketPrice: price,
    fiftyTwoWeekHigh: round2(price * 1.1),
    fiftyTwoWeekLow: round2(price * 0.6),
    regularMarketDayHigh: round2(price + 2),
    regularMarketDayLow: round2(price - 2),
    regularMarketVolume: 1_000_000,
    longName: `${symbol} Corporation`,
    shortName: `${symbol} Corp`,
    chartPreviousClose: round2(price - 1),
    priceHint: 2,
    dataGranularity: interval,
    range,
    validRanges: FAKE_RANGES,
  };
  return {
    body: {
      chart: {
        result: [{ meta, timestamp, ...(Object.keys(events).length ? { events } : {}), indicators: { quote: [quote], ...(daily ? { adjclose: [{ adjclose }] } : {}) } }],
        error: null,
      },
    },
  };
}

/** quoteSummary modules of a symbol; GOOGL lacks a few values (Yahoo's `{}`, or the key missing), as real answers often do. */
function modules(symbol: string, price: number): Record<string, unknown> {
  const sparse = symbol === 'GOOGL';
  return {
    price: {
      maxAge: 1,
      regularMarketPrice: value(price),
      regularMarketChange: value(1.25),
      currency: 'USD',
      currencySymbol: '$',
      exchange: 'NMS',
      exchangeName: 'NasdaqGS',
      quoteType: 'EQUITY',
      symbol,
      shortName: `${symbol} Corp`,
      longName: `${symbol} Corporation`,
      marketCap: value(price * 1e10),
    },
    quoteType: { exchange: 'NMS', quoteType: 'EQUITY', symbol, shortName: `${symbol} Corp`, longName: `${symbol} Corporation`, timeZoneFullName: 'America/New_York', timeZoneShortName: 'EST' },
    assetProfile: {
      address1: '2788 San Tomas Expressway',
      city: 'Santa Clara',
      state: 'CA',
      zip: '95051',
      country: 'United States',
      phone: '408 486 2000',
      website: `https://www.${symbol.toLowerCase()}.example`,
      industry: 'Semiconductors',
      industryKey: 'semiconductors',
      sector: 'Technology',
      sectorKey: 'technology',
      longBusinessSummary: `${symbol} Corporation makes accelerated computing chips.`,
      fullTimeEmployees: 36_000,
      companyOfficers: [{ maxAge: 1, name: 'Jane Doe', title: 'CEO', totalPay: value(1e6) }],
      maxAge: 86_400,
    },
    summaryDetail: {
      maxAge: 1,
      previousClose: value(price - 1),
      open: value(price - 0.5),
      dividendRate: sparse ? {} : value(0.04),
      dividendYield: sparse ? {} : percent(0.0002),
      beta: value(1.7),
      trailingPE: value(50.1),
      ...(sparse ? {} : { forwardPE: value(40.2) }),
      fiftyTwoWeekLow: value(round2(price * 0.6)),
      fiftyTwoWeekHigh: value(round2(price * 1.1)),
      fiftyDayAverage: value(round2(price * 0.95)),
      twoHundredDayAverage: value(round2(price * 0.9)),
      marketCap: value(price * 1e10),
      currency: 'USD',
    },
    defaultKeyStatistics: {
      maxAge: 1,
      enterpriseValue: value(price * 1e10 - 5e10),
      forwardPE: sparse ? {} : value(40.2),
      priceToBook: value(45.3),
      trailingEps: value(3.6),
      forwardEps: value(4.5),
      beta: value(1.7),
      sharesOutstanding: value(1e10),
    },
    financialData: {
      maxAge: 86_400,
      currentPrice: value(price),
      recommendationKey: 'strong_buy',
      recommendationMean: value(1.3),
      numberOfAnalystOpinions: value(60, 0),
      totalCash: value(6e10),
      ebitda: value(1e11),
      freeCashflow: value(5e10),
      operatingCashflow: value(8e10),
      revenueGrowth: percent(0.62),
      grossMargins: percent(0.75),
      ebitdaMargins: percent(0.6),
      financialCurrency: 'USD',
    },
    recommendationTrend: {
      trend: [
        { period: '0m', strongBuy: 12, buy: 40, hold: 6, sell: 1, strongSell: 0 },
        { period: '-1m', strongBuy: 11, buy: 39, hold: 7, sell: 1, strongSell: 0 },
        { period: '-2m', strongBuy: 10, buy: 38, hold: 8, sell: 2, strongSell: 0 },
        { period: '-3m', strongBuy: 10, buy: 37, hold: 9, sell: 2, strongSell: 1 },
      ],
      maxAge: 86_400,
    },
  };
}

function news(query: string, count: number) {
  const all = Array.from({ length: 8 }, (_, i) => ({
    uuid: `${query.toLowerCase()}-news-${i + 1}`,
    title: `${query} news ${i + 1}`,
    publisher: i % 2 ? 'Reuters' : 'Yahoo Finance',
    link: `https://finance.yahoo.com/news/${query.toLowerCase()}-news-${i + 1}.html`,
    providerPublishTime: 1_763_100_000 - i * 3_600,
    type: 'STORY',
    thumbnail: { resolutions: [{ url: `https://s.yimg.com/${query.toLowerCase()}-${i + 1}.jpg`, width: 1200, height: 800, tag: 'original' }] },
    relatedTickers: [query],
  }));
  return { explains: [], count: Math.min(count, all.length), quotes: [], news: all.slice(0, count), nav: [], lists: [], researchReports: [], totalTime: 12, timeTakenForNews: 8 };
}

export interface FakeYahoo extends HttpFake {
  /** Makes every session stale: the next quoteSummary with an old cookie or crumb gets 401 (as when Yahoo rotates crumbs). */
  expireCrumb(): void;
  /** The next `count` quoteSummary requests answer 401 "Invalid Crumb" whatever they send (a crumb that stays stale). */
  rejectCrumbs(count: number): void;
  /** How many session cookies `/` has handed out. */
  cookiesIssued(): number;
  /** The User-Agent of each answered request, in order. */
  userAgents: string[];
}

export async function startFakeYahooFinance(): Promise<FakeYahoo> {
  /** Session cookie value (`A3=…`) → its crumb. */
  const sessions = new Map<string, string>();
  let issued = 0;
  let rejections = 0;
  const userAgents: string[] = [];
  const crumbOf = (cookieHeader: string | undefined) => {
    for (const part of (cookieHeader ?? '').split(';')) {
      const crumb = sessions.get(part.trim());
      if (crumb) return crumb;
    }
    return undefined;
  };
  const unauthorized = (description: string): Reply => ({ status: 401, body: { finance: { result: null, error: { code: 'Unauthorized', description } } } });

  const fake = await startHttpFake((url, req) => {
    userAgents.push(req.headers['user-agent'] ?? '');
    if (url.pathname === '/') {
      issued++;
      const cookie = `A3=d=AQABBfake${issued}&S=AQAAAfake`;
      sessions.set(cookie, issued === 1 ? FAKE_CRUMB : `fake-crumb-${issued}`);
      return { status: 404, raw: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html', 'set-cookie': `${cookie}; Expires=Sat, 14 Nov 2026 00:00:00 GMT; Max-Age=31557600; Domain=127.0.0.1; Path=/; SameSite=None; Secure; HttpOnly` } };
    }
    if (url.pathname === '/v1/test/getcrumb') {
      const crumb = crumbOf(req.headers.cookie);
      return crumb ? { raw: crumb } : unauthorized('Invalid Cookie');
    }
    const chartPath = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    if (chartPath) {
      return chart(decodeURIComponent(chartPath[1]!).toUpperCase(), url.searchParams.get('range') ?? '1mo', url.searchParams.get('interval') ?? '1d');
    }
    const summary = /^\/v10\/finance\/quoteSummary\/([^/]+)$/.exec(url.pathname);
    if (summary) {
      const crumb = crumbOf(req.headers.cookie);
      if (rejections > 0) {
        rejections--;
        return unauthorized('Invalid Crumb');
      }
      if (!crumb || url.searchParams.get('crumb') !== crumb) return unauthorized('Invalid Crumb');
      const symbol = decodeURIComponent(summary[1]!).toUpperCase();
      const price = FAKE_PRICES[symbol];
      if (price === undefined) return { status: 404, body: { quoteSummary: { result: null, error: { code: 'Not Found', description: `Quote not found for symbol: ${symbol}` } } } };
      const all = modules(symbol, price);
      const requested = (url.searchParams.get('modules') ?? '').split(',').filter(Boolean);
      const unknown = requested.filter((name) => !(name in all));
      if (requested.length === 0 || unknown.length > 0) {
        return { status: 400, body: { quoteSummary: { result: null, error: { code: 'Bad Request', description: `Invalid module(s): ${unknown.join(',') || '(none given)'}` } } } };
      }
      return { body: { quoteSummary: { result: [Object.fromEntries(requested.map((name) => [name, all[name]]))], error: null } } };
    }
    if (url.pathname === '/v1/finance/search') {
      return { body: news((url.searchParams.get('q') ?? '').toUpperCase(), Number(url.searchParams.get('newsCount') ?? 8)) };
    }
    return undefined;
  });
  return {
    ...fake,
    expireCrumb() {
      sessions.clear();
    },
    rejectCrumbs(count) {
      rejections = count;
    },
    cookiesIssued: () => issued,
    userAgents,
  };
}
