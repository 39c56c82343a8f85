"""What the driver scripts share: Agno's log records captured (Agno logs and skips SSE frames it
cannot parse), exceptions as JSON, and the one `AGNO_RESULT {json}` line they print."""
import asyncio
import json
import logging
import sys
import traceback


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += " | " + "".join(traceback.format_exception_only(record.exc_info[0], record.exc_info[1])).strip()
        self.records.append({"level": record.levelname, "message": text})


def error_of(exc: BaseException) -> dict:
    return {"type": type(exc).__name__, "message": str(exc), "traceback": traceback.format_exc()[-4000:]}


async def run_attempts(result: dict, steps) -> None:
    """Runs each `(where, action)` in turn: an exception goes to `result["errors"]`, and the next one runs."""
    for where, action in steps:
        try:
            await action()
        except Exception as exc:  # noqa: BLE001
            result["errors"].append({"where": where, **error_of(exc)})


def capture_agno_logs() -> Capture:
    """Agno's loggers print to stdout when it is not a terminal: capture them instead."""
    from agno.utils import log as agno_log

    capture = Capture()
    for logger in {agno_log.agent_logger, agno_log.team_logger, agno_log.workflow_logger, agno_log.logger}:
        logger.handlers[:] = [capture]
        logger.propagate = False
    return capture


def print_result(main, usage: str, argc: int) -> None:
    """Runs `main(*args)` and prints its result, or the error that kept it from running (e.g. agno cannot be imported)."""
    if len(sys.argv) != argc + 1:
        sys.exit(usage)
    try:
        out = asyncio.run(main(*sys.argv[1:]))
    except Exception as exc:  # noqa: BLE001
        out = {"errors": [{"where": "main", **error_of(exc)}]}
    sys.stdout.write("AGNO_RESULT " + json.dumps(out, default=str) + "\n")
