"""Agno's own AgentOS serving the content-creation workflow, for bench/agno/side-by-side.ts.

Usage: python content_creation.py <port>

The workflow is Agno's background-execution example (src/app/content-creation.ts is our port of
it). Environment: OPENAI_API_KEY and OPENAI_BASE_URL (the benchmark's fake OpenAI), and
HACKERNEWS_API_URL and YAHOO_FINANCE_API_URL (its fake Hacker News and Yahoo Finance), reached
through the toolkit shims of test/agno-parity/tools_on_fakes.py. Uvicorn prints
`Uvicorn running on http://127.0.0.1:<port>` once it serves.
"""
import os
import sys

# Before anything of agno is imported: no telemetry calls out of this machine.
os.environ.setdefault("AGNO_TELEMETRY", "false")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "agno-parity"))

import tools_on_fakes  # noqa: E402  (points Agno's toolkits at the loopback fakes)

import uvicorn  # noqa: E402
from agno.agent import Agent  # noqa: E402
from agno.db.in_memory import InMemoryDb  # noqa: E402
from agno.models.openai import OpenAIResponses  # noqa: E402
from agno.os import AgentOS  # noqa: E402
from agno.team import Team  # noqa: E402
from agno.tools.hackernews import HackerNewsTools  # noqa: E402
from agno.tools.yfinance import YFinanceTools  # noqa: E402
from agno.workflow.step import Step  # noqa: E402
from agno.workflow.workflow import Workflow  # noqa: E402

tools_on_fakes.install()

hackernews_agent = Agent(
    name="Hackernews Agent",
    model=OpenAIResponses(id="gpt-5.2"),
    tools=[HackerNewsTools()],
    role="Extract key insights and content from Hackernews posts",
)
finance_agent = Agent(
    name="Finance Agent",
    model=OpenAIResponses(id="gpt-5.2"),
    tools=[YFinanceTools()],
    role="Get stock prices and financial data",
)
research_team = Team(
    name="Research Team",
    members=[hackernews_agent, finance_agent],
    instructions="Research tech topics and related stocks",
)
content_planner = Agent(
    name="Content Planner",
    model=OpenAIResponses(id="gpt-5.2"),
    instructions=[
        "Plan a content schedule over 4 weeks for the provided topic and research content",
        "Ensure that I have posts for 3 posts per week",
    ],
)
db = InMemoryDb()
workflow = Workflow(
    id="content-creation-workflow",
    name="Content Creation Workflow",
    description="Automated content creation from blog posts to social media",
    db=db,
    steps=[
        Step(name="Research Step", team=research_team),
        Step(name="Content Planning Step", agent=content_planner),
    ],
)

if __name__ == "__main__":
    app = AgentOS(id="bench", workflows=[workflow], db=db, telemetry=False).get_app()
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info", access_log=False)
