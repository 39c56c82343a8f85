"""Agno's own AgentOS behind JWTs, the yardstick of test/agno-parity/auth-parity.test.ts.

Usage: python agno_os_auth.py <port>

The content-creation workflow of agno_os.py, with AgentOS's authorization on: HS256 tokens signed
with the test's secret (test/support/tokens.ts), the audience checked, per-user isolation on.
"""
import os
import sys

os.environ.setdefault("AGNO_TELEMETRY", "false")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import uvicorn  # noqa: E402
from agno.db.in_memory import InMemoryDb  # noqa: E402
from agno.os import AgentOS  # noqa: E402
from agno.os.config import AuthorizationConfig  # noqa: E402

from agno_os import content_creation  # noqa: E402  (also points Agno's toolkits at the fakes)

# The secret of test/support/tokens.ts (HS_SECRET) and the audience of auth-parity.test.ts.
SECRET = "a-test-secret-of-at-least-32-bytes-for-hs256"
AUDIENCE = "durable-agents"


def agent_os() -> AgentOS:
    db = InMemoryDb()
    return AgentOS(
        id="agno-parity-auth",
        workflows=[content_creation("content-creation-workflow", "Content Creation Workflow", db)],
        db=db,
        telemetry=False,
        authorization=True,
        authorization_config=AuthorizationConfig(
            verification_keys=[SECRET], algorithm="HS256", verify_audience=True, audience=AUDIENCE
        ),
        user_isolation=True,
    )


if __name__ == "__main__":
    uvicorn.run(agent_os().get_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="info", access_log=False)
