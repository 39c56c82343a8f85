/**
 * Agno's own Python (`.tools/agno-venv`, pinned in scripts/setup.sh) run from a test: a script of
 * test/agno/ that prints one `AGNO_RESULT {json}` line with what Agno's client got.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const AGNO_PYTHON = join(ROOT, '.tools', 'agno-venv', 'bin', 'python');

export function runFile(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PYTHONUNBUFFERED: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** Why agno cannot be used here, or undefined when it can. */
export async function agnoMissing(): Promise<string | undefined> {
  if (!existsSync(AGNO_PYTHON)) return `${AGNO_PYTHON} does not exist (run scripts/setup.sh)`;
  const probe = await runFile(AGNO_PYTHON, ['-c', 'import agno.client, importlib.metadata as m; print(m.version("agno"))'], 60_000);
  if (probe.code !== 0) return `\`import agno.client\` fails in .tools/agno-venv: ${probe.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}

/** Runs a script of test/agno/ and returns its `AGNO_RESULT`; fails with its output when there is none. */
export async function runAgnoScript<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  const child = await runFile(AGNO_PYTHON, [join(ROOT, 'test', 'agno', script), ...args], timeoutMs);
  const line = child.stdout.split('\n').find((l) => l.startsWith('AGNO_RESULT '));
  if (!line) throw new Error(`no AGNO_RESULT line (exit ${child.code})\nstdout:\n${child.stdout}\nstderr:\n${child.stderr}`);
  return JSON.parse(line.slice('AGNO_RESULT '.length)) as T;
}
