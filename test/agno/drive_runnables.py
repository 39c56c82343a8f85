"""Drives an agent and a team through Agno's own Python client (agno.client.AgentOSClient).

Usage: python drive_runnables.py <base_url> <agent_id> <team_id>

Prints one line, `AGNO_RESULT {json}`, with what the client got: the agents and teams it listed
and read, each one's non-streaming run (`RunOutput`, `TeamRunOutput`) and its streamed events as
Agno parsed them, plus every exception raised and every error Agno logged.
"""
from client_capture import capture_agno_logs, print_result, run_attempts


def output_of(run) -> dict:
    return {
        "class": type(run).__name__,
        "run_id": run.run_id,
        "session_id": run.session_id,
        "status": str(getattr(run.status, "value", run.status)),
        "content": run.content,
        "tools": [t.tool_name for t in (getattr(run, "tools", None) or [])],
        "member_responses": [type(m).__name__ for m in (getattr(run, "member_responses", None) or [])],
    }


def event_of(event) -> dict:
    return {
        "event": getattr(event, "event", None),
        "class": f"{type(event).__module__}.{type(event).__name__}",
        "event_index": getattr(event, "event_index", None),
        "run_id": getattr(event, "run_id", None),
        "parent_run_id": getattr(event, "parent_run_id", None),
        "content": getattr(event, "content", None) if str(getattr(event, "event", "")).endswith("RunCompleted") else None,
    }


async def main(base_url: str, agent_id: str, team_id: str) -> dict:
    from agno.client import AgentOSClient
    from importlib.metadata import version

    capture = capture_agno_logs()
    result: dict = {"agno_version": version("agno"), "errors": []}
    client = AgentOSClient(base_url=base_url, timeout=120)

    async def discover() -> None:
        result["agents"] = sorted(a.id for a in await client.list_agents())
        result["agent"] = (await client.aget_agent(agent_id)).name
        result["teams"] = sorted(t.id for t in await client.list_teams())
        result["team"] = (await client.aget_team(team_id)).name

    async def run_agent() -> None:
        result["agent_run"] = output_of(await client.run_agent(agent_id, message="What does NVDA trade at?", session_id="agno-agent-1"))

    async def stream_agent() -> None:
        result["agent_stream"] = [event_of(e) async for e in client.run_agent_stream(agent_id, message="What does NVDA trade at?", session_id="agno-agent-2")]

    async def run_team() -> None:
        result["team_run"] = output_of(await client.run_team(team_id, message="Research NVDA", session_id="agno-team-1"))

    async def stream_team() -> None:
        result["team_stream"] = [event_of(e) async for e in client.run_team_stream(team_id, message="Research NVDA", session_id="agno-team-2")]

    await run_attempts(result, [("discover", discover), ("run_agent", run_agent), ("run_agent_stream", stream_agent), ("run_team", run_team), ("run_team_stream", stream_team)])
    result["logged"] = capture.records
    return result


if __name__ == "__main__":
    print_result(main, "usage: drive_runnables.py <base_url> <agent_id> <team_id>", 3)
