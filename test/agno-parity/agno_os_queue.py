"""Agno's own AgentOS with its durable job queue on, the yardstick of test/agno-parity/queue-parity.test.ts.

Usage: python agno_os_queue.py <port>

The content-creation workflow of agno_os.py; background runs go through AgentOS's durable queue
(QueueConfig(durable=True)), which is what serves `/queue/jobs` and `/queue/stats` (without it they
answer 503). Its queue store is Agno's in-memory one: AgentOS's SQLite database does not implement
the queue's contract (Postgres and Redis do), and the test needs none of their durability.
"""
import os
import sys

os.environ.setdefault("AGNO_TELEMETRY", "false")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import uvicorn  # noqa: E402
from agno.db.sqlite import SqliteDb  # noqa: E402
from agno.job_queue.store import InMemoryQueueStore  # noqa: E402
from agno.os import AgentOS, QueueConfig  # noqa: E402

from agno_os import content_creation  # noqa: E402  (also points Agno's toolkits at the fakes)


def agent_os() -> AgentOS:
    db = SqliteDb(db_file=os.path.join(os.environ.get("AGNO_OS_DB_DIR", "."), "agno-os.sqlite"))
    return AgentOS(
        id="agno-parity-queue",
        workflows=[content_creation("content-creation-workflow", "Content Creation Workflow", db)],
        db=db,
        telemetry=False,
        queue=QueueConfig(durable=True, db=InMemoryQueueStore(), poll_interval=0.2),
    )


if __name__ == "__main__":
    uvicorn.run(agent_os().get_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="info", access_log=False)
