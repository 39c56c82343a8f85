"""Agno's own AgentOS serving the content-creation workflow, the yardstick of test/agno-parity.

Usage: python agno_os.py <port>

Environment: OPENAI_API_KEY and OPENAI_BASE_URL (the fake OpenAI), HACKERNEWS_API_URL and
YAHOO_FINANCE_API_URL (the fake Hacker News and Yahoo Finance), AGNO_OS_DB_DIR (a directory of
its own for the SQLite database; default the working directory). Uvicorn prints
`Uvicorn running on http://127.0.0.1:<port>` once it serves.

The workflows are those of src/app/content-creation.ts, written as Agno's background-execution
example writes them, plus the two variants the test also runs on our side: a content planner
that a person confirms first (human in the loop) and one whose model call fails.

Its database is SQLite (AgentOS's in-memory one answers 503 on /schedules and /approvals), and its
scheduler is on: `POST /schedules/{id}/trigger` runs through the scheduler's executor, which
starts the run over HTTP on this same server and polls it to its end.
"""
import os
import sys

# Before anything of agno is imported: no telemetry calls out of this machine.
os.environ.setdefault("AGNO_TELEMETRY", "false")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tools_on_fakes  # noqa: E402  (points Agno's toolkits at the loopback fakes)

import uvicorn  # noqa: E402
from agno.agent import Agent  # noqa: E402
from agno.db.sqlite import SqliteDb  # noqa: E402
from agno.models.openai import OpenAIResponses  # noqa: E402
from agno.os import AgentOS  # noqa: E402
from agno.scheduler.executor import ScheduleExecutor  # noqa: E402
from agno.team import Team  # noqa: E402
from agno.tools import tool  # noqa: E402
from agno.tools.hackernews import HackerNewsTools  # noqa: E402
from agno.tools.yfinance import YFinanceTools  # noqa: E402
from agno.workflow.step import Step  # noqa: E402
from agno.workflow.types import HumanReview  # noqa: E402
from agno.workflow.workflow import Workflow  # noqa: E402

tools_on_fakes.install()


def research_team() -> Team:
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
    # As in Agno's example, the team names no model: Agno gives its leader its own default.
    return Team(
        name="Research Team",
        members=[hackernews_agent, finance_agent],
        instructions="Research tech topics and related stocks",
    )


def content_planner() -> Agent:
    return Agent(
        name="Content Planner",
        model=OpenAIResponses(id="gpt-5.2"),
        instructions=[
            "Plan a content schedule over 4 weeks for the provided topic and research content",
            "Ensure that I have posts for 3 posts per week",
        ],
    )


def content_creation(
    workflow_id: str, name: str, db: SqliteDb, planning_review: HumanReview | None = None
) -> Workflow:
    return Workflow(
        id=workflow_id,
        name=name,
        description="Automated content creation from blog posts to social media",
        db=db,
        steps=[
            Step(name="Research Step", team=research_team()),
            Step(name="Content Planning Step", agent=content_planner(), human_review=planning_review),
        ],
    )


@tool(requires_confirmation=True)
def place_order(symbol: str, quantity: int) -> str:
    """Places an order for a stock.

    Args:
        symbol: The stock's symbol.
        quantity: How many shares.
    """
    return f"Ordered {quantity} {symbol}"


def agent_os(port: int) -> AgentOS:
    db = SqliteDb(db_file=os.path.join(os.environ.get("AGNO_OS_DB_DIR", "."), "agno-os.sqlite"))
    workflows = [
        content_creation("content-creation-workflow", "Content Creation Workflow", db),
        content_creation(
            "reviewed-content-creation",
            "Reviewed Content Creation",
            db,
            HumanReview(requires_confirmation=True, confirmation_message="Publish the plan?"),
        ),
    ]
    # Served on their own too (/agents, /teams): test/agno-parity/agent-scenario.ts.
    finance_agent = Agent(
        id="finance-agent",
        name="Finance Agent",
        model=OpenAIResponses(id="gpt-5.2"),
        tools=[YFinanceTools()],
        role="Get stock prices and financial data",
        db=db,
    )
    # Its tool asks a person first (human in the loop): a paused run and its continue.
    trade_desk = Agent(
        id="trade-desk",
        name="Trade Desk",
        model=OpenAIResponses(id="gpt-5.2"),
        tools=[place_order],
        db=db,
    )
    team = research_team()
    team.id = "research-team"
    team.db = db
    # Its member's tool asks a person first: the team's run pauses, and its continue.
    trading_team = Team(
        id="trading-team",
        name="Trading Team",
        model=OpenAIResponses(id="gpt-5.2"),
        members=[trade_desk],
        instructions="Hand every order to the trade desk",
        db=db,
    )
    return AgentOS(
        id="agno-parity",
        workflows=workflows,
        agents=[finance_agent, trade_desk],
        teams=[team, trading_team],
        db=db,
        telemetry=False,
        scheduler=True,
        scheduler_base_url=f"http://127.0.0.1:{port}",
    )


# The executor polls a run it started every 30 s (its default, which AgentOS does not expose): a
# triggered run ends within a second here, so poll each second, for the test's time alone.
ScheduleExecutor.__init__.__defaults__ = (3600, 1)  # (timeout, poll_interval)

if __name__ == "__main__":
    port = int(sys.argv[1])
    uvicorn.run(agent_os(port).get_app(), host="127.0.0.1", port=port, log_level="info", access_log=False)
