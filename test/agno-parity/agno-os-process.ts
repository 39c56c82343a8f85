/**
 * Agno's own AgentOS (agno_os.py, on agno pinned in .tools/agno-venv by scripts/setup.sh) as a
 * child process, serving on a free loopback port against the harness's fakes. The benchmarks that
 * measure us against Agno start theirs here too (bench/agno/content_creation.py).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { killProcess, startProcess } from '../support/processes.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
export const AGNO_PYTHON = join(ROOT, '.tools', 'agno-venv', 'bin', 'python');
export const AGNO_VERSION = '3.1.10';
/** What AgentOS needs beyond agno itself (scripts/setup.sh installs them). */
const MODULES = ['agno.os', 'uvicorn', 'websockets', 'sqlalchemy', 'openai', 'multipart', 'fastapi', 'greenlet', 'aiosqlite', 'croniter', 'pytz'];

export interface AgnoOs {
  url: string;
  /** The last few kilobytes of its output, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** Why Agno's AgentOS cannot run here, or undefined when it can. */
export async function agnoOsMissing(): Promise<string | undefined> {
  if (!existsSync(AGNO_PYTHON)) return `${AGNO_PYTHON} does not exist (run scripts/setup.sh)`;
  const probe = `import importlib.metadata as m, ${MODULES.join(', ')}; assert m.version('agno') == '${AGNO_VERSION}', m.version('agno')`;
  return new Promise((resolve) => {
    execFile(AGNO_PYTHON, ['-c', probe], { timeout: 120_000 }, (error, _stdout, stderr) => {
      resolve(error ? `AgentOS cannot start from .tools/agno-venv: ${stderr.trim().split('\n').at(-1) ?? error.message}` : undefined);
    });
  });
}

export interface AgnoOsFakes {
  openaiUrl: string;
  hackernewsUrl: string;
  yahooUrl: string;
}

/** `script`: the Python file that serves an AgentOS on the port it is given; default the parity test's agno_os.py. */
export async function startAgnoOs(fakes: AgnoOsFakes, script = join(HERE, 'agno_os.py')): Promise<AgnoOs> {
  const port = await freePort();
  // Its SQLite database, gone with it.
  const dbDir = mkdtempSync(join(tmpdir(), 'agno-os-'));
  const removeDb = () => rmSync(dbDir, { recursive: true, force: true });
  const started = await startProcess({
    command: AGNO_PYTHON,
    args: [script, String(port)],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PYTHONUNBUFFERED: '1',
      // No __pycache__ beside the test's Python files.
      PYTHONDONTWRITEBYTECODE: '1',
      AGNO_TELEMETRY: 'false',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fakes.openaiUrl,
      HACKERNEWS_API_URL: fakes.hackernewsUrl,
      YAHOO_FINANCE_API_URL: fakes.yahooUrl,
      AGNO_OS_DB_DIR: dbDir,
    },
    ready: `Uvicorn running on http://127.0.0.1:${port}`,
    cwd: dirname(script),
    readyTimeoutMs: 120_000,
  }).catch((err: unknown) => {
    removeDb();
    throw err;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: started.output,
    close: () => killProcess(started.child, 'SIGTERM').finally(removeDb),
  };
}
