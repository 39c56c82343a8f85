"""Drives an agent whose tool asks a person first through Agno's own Python client
(agno.client.AgentOSClient): a run that pauses and its continue, without and with streaming.

Usage: python drive_paused_agent.py <base_url> <agent_id>

Prints one line, `AGNO_RESULT {json}`, with what the client got: the paused `RunOutput` and the
one its `continue_agent_run` returned (the call confirmed), the streamed run's events to its
`RunPausedEvent` and those of `continue_agent_run_stream` (the call rejected), plus every
exception raised and every error Agno logged.
"""
from client_capture import capture_agno_logs, print_result, run_attempts


def output_of(run) -> dict:
    return {
        "class": type(run).__name__,
        "status": str(getattr(run.status, "value", run.status)),
        "content": run.content,
        "tools": [{"name": t.tool_name, "requires_confirmation": t.requires_confirmation, "confirmed": t.confirmed} for t in (run.tools or [])],
        "requirements": len(getattr(run, "requirements", None) or []),
    }


def event_of(event) -> dict:
    return {"event": getattr(event, "event", None), "class": type(event).__name__, "content": getattr(event, "content", None)}


async def main(base_url: str, agent_id: str) -> dict:
    from agno.client import AgentOSClient

    capture = capture_agno_logs()
    result: dict = {"errors": []}
    client = AgentOSClient(base_url=base_url, timeout=120)

    async def waited() -> None:
        paused = await client.run_agent(agent_id, message="delete my notes", session_id="agno-paused-1")
        result["paused"] = output_of(paused)
        for tool in paused.tools or []:
            tool.confirmed = True
        continued = await client.continue_agent_run(agent_id, paused.run_id, tools=paused.tools, session_id="agno-paused-1")
        result["continued"] = output_of(continued)

    async def streamed() -> None:
        events = [e async for e in client.run_agent_stream(agent_id, message="delete my notes", session_id="agno-paused-2")]
        result["paused_stream"] = [event_of(e) for e in events]
        pause = events[-1]
        for tool in pause.tools or []:
            tool.confirmed = False
        result["continued_stream"] = [event_of(e) async for e in client.continue_agent_run_stream(agent_id, pause.run_id, tools=pause.tools, session_id="agno-paused-2")]

    await run_attempts(result, [("run_agent, continue_agent_run", waited), ("run_agent_stream, continue_agent_run_stream", streamed)])
    result["logged"] = capture.records
    return result


if __name__ == "__main__":
    print_result(main, "usage: drive_paused_agent.py <base_url> <agent_id>", 2)
