"""Agno's HackerNewsTools and YFinanceTools, pointed at the test's loopback fakes.

Agno's toolkits have no base-URL setting: HackerNewsTools calls `httpx.get` on Hacker News'
fixed URLs, and YFinanceTools reads `yfinance.Ticker(symbol).info`. So:
- HackerNewsTools gets an `httpx` whose `get` rewrites Hacker News' URL to HACKERNEWS_API_URL;
- `yfinance` (a large package that reaches Yahoo through its own HTTP stack) is replaced by a
  small module whose `Ticker.info` reads the price from the fake Yahoo Finance's chart endpoint,
  the same endpoint and field (`meta.regularMarketPrice`) our own toolkit reads.
The toolkits' own functions, names, JSON schemas and output formats stay Agno's.
"""
import os
import sys
import types

import httpx

HACKERNEWS_URL = "https://hacker-news.firebaseio.com"


class _Ticker:
    def __init__(self, symbol: str, session=None) -> None:
        self.symbol = symbol

    @property
    def info(self) -> dict:
        base = os.environ["YAHOO_FINANCE_API_URL"].rstrip("/")
        response = httpx.get(f"{base}/v8/finance/chart/{self.symbol}", params={"range": "1d", "interval": "1d"}, timeout=30)
        response.raise_for_status()
        meta = response.json()["chart"]["result"][0]["meta"]
        return {"regularMarketPrice": meta.get("regularMarketPrice"), "symbol": self.symbol}


def _yfinance_module() -> types.ModuleType:
    module = types.ModuleType("yfinance")
    module.Ticker = _Ticker  # type: ignore[attr-defined]
    return module


def _rewriting_get(url: str, *args, **kwargs):
    if url.startswith(HACKERNEWS_URL):
        url = os.environ["HACKERNEWS_API_URL"].rstrip("/") + url[len(HACKERNEWS_URL) :]
    return httpx.get(url, *args, **kwargs)


# Importable before agno.tools.yfinance: it imports yfinance at module level.
sys.modules.setdefault("yfinance", _yfinance_module())


def install() -> None:
    import agno.tools.hackernews as hackernews

    hackernews.httpx = types.SimpleNamespace(get=_rewriting_get)  # type: ignore[assignment]
