"""Drives a workflow through Agno's own Python client (agno.client.AgentOSClient).

Usage: python drive_workflow.py <base_url> <workflow_id>

Prints one line, `AGNO_RESULT {json}`, with what the client got: the workflows it listed, the
non-streaming run (status, content) and the streamed events as Agno parsed them (event name,
class, event_index), plus every exception raised and every error Agno logged (Agno logs and
skips SSE frames it cannot parse).
"""
from client_capture import capture_agno_logs, error_of, print_result


async def main(base_url: str, workflow_id: str) -> dict:
    from agno.client import AgentOSClient

    capture = capture_agno_logs()

    from importlib.metadata import version

    result: dict = {"agno_version": version("agno"), "errors": []}
    client = AgentOSClient(base_url=base_url, timeout=120)

    try:
        workflows = await client.list_workflows()
        result["workflows"] = [{"id": w.id, "name": w.name} for w in workflows]
        detail = await client.aget_workflow(workflow_id)
        result["workflow"] = {"id": detail.id, "name": detail.name, "steps": detail.steps}
    except Exception as exc:  # noqa: BLE001
        result["errors"].append({"where": "workflows", **error_of(exc)})

    try:
        run = await client.run_workflow(workflow_id, message="AI trends in 2024", session_id="agno-client-1")
        result["run"] = {
            "class": type(run).__name__,
            "run_id": run.run_id,
            "session_id": run.session_id,
            "workflow_id": run.workflow_id,
            "status": str(getattr(run.status, "value", run.status)),
            "content": run.content,
            "step_results": [{"step_name": s.step_name, "content": s.content} for s in (run.step_results or [])],
        }
    except Exception as exc:  # noqa: BLE001
        result["errors"].append({"where": "run_workflow", **error_of(exc)})

    events: list = []
    try:
        async for event in client.run_workflow_stream(workflow_id, message="AI trends in 2024", session_id="agno-client-2"):
            events.append(
                {
                    "event": getattr(event, "event", None),
                    "class": f"{type(event).__module__}.{type(event).__name__}",
                    "event_index": getattr(event, "event_index", None),
                    "run_id": getattr(event, "run_id", None),
                    "content": getattr(event, "content", None) if event.event == "WorkflowCompleted" else None,
                }
            )
    except Exception as exc:  # noqa: BLE001
        result["errors"].append({"where": "run_workflow_stream", **error_of(exc)})
    result["stream"] = events
    result["logged"] = capture.records
    return result


if __name__ == "__main__":
    print_result(main, "usage: drive_workflow.py <base_url> <workflow_id>", 2)
