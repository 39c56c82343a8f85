"""What the driver scripts share: Agno's log records captured (Agno logs and skips SSE frames it
cannot parse), and exceptions as JSON."""
import logging
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


def capture_agno_logs() -> Capture:
    """Agno's loggers print to stdout when it is not a terminal: capture them instead."""
    from agno.utils import log as agno_log

    capture = Capture()
    for logger in {agno_log.agent_logger, agno_log.team_logger, agno_log.workflow_logger, agno_log.logger}:
        logger.handlers[:] = [capture]
        logger.propagate = False
    return capture
