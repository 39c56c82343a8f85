/**
 * Stock data from Yahoo Finance's public chart endpoint. Function names and arguments follow
 * Agno's `YFinanceTools`. `YAHOO_FINANCE_API_URL` (or `baseURL`) points it elsewhere.
 */
import { defineTool, Toolkit } from './tool.ts';
import { fetchJson, trimSlash } from './http.ts';

export const YAHOO_FINANCE_DEFAULT_URL = 'https://query1.finance.yahoo.com';

interface ChartResponse {
  chart: {
    result: { meta: { symbol: string; currency?: string; regularMarketPrice?: number } }[] | null;
    error: { code: string; description: string } | null;
  };
}

export class YFinanceTools extends Toolkit {
  constructor(options: { baseURL?: string } = {}) {
    const base = () => trimSlash(options.baseURL ?? process.env.YAHOO_FINANCE_API_URL ?? YAHOO_FINANCE_DEFAULT_URL);
    super('yfinance_tools', [
      defineTool<{ symbol: string }>({
        name: 'get_current_stock_price',
        description: 'Get the current stock price for a given symbol.',
        parameters: {
          type: 'object',
          properties: { symbol: { type: 'string', description: 'The stock symbol, e.g. NVDA.' } },
          required: ['symbol'],
          additionalProperties: false,
        },
        async execute({ symbol }, { signal }) {
          const url = `${base()}/v8/finance/chart/${encodeURIComponent(symbol)}?interval=1d&range=1d`;
          const data = (await fetchJson(url, signal)) as ChartResponse;
          const price = data.chart.result?.[0]?.meta.regularMarketPrice;
          if (price === undefined) return `Could not fetch current price for ${symbol}: ${data.chart.error?.description ?? 'no data'}`;
          return price.toFixed(4);
        },
      }),
    ]);
  }
}
