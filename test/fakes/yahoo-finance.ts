/** Loopback fake of Yahoo Finance's chart endpoint (`/v8/finance/chart/{symbol}`). */
import { startHttpFake } from './http-fake.ts';
import type { HttpFake } from './http-fake.ts';

export const FAKE_PRICES: Record<string, number> = { NVDA: 181.25, MSFT: 512.5, GOOGL: 245.1 };

export function startFakeYahooFinance(): Promise<HttpFake> {
  return startHttpFake((url) => {
    const chart = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    if (!chart) return undefined;
    const symbol = decodeURIComponent(chart[1]!).toUpperCase();
    const price = FAKE_PRICES[symbol];
    if (price === undefined) {
      return { status: 404, body: { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } } };
    }
    return {
      body: {
        chart: {
          result: [{ meta: { currency: 'USD', symbol, exchangeName: 'NMS', regularMarketPrice: price, previousClose: price - 1 }, timestamp: [], indicators: { quote: [{}] } }],
          error: null,
        },
      },
    };
  });
}
