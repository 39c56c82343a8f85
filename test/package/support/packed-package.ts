/**
 * The package as users get it: `npm pack` (which builds it) into a temporary folder, and fresh
 * projects outside this repository that install the tarball as `npm install <tarball>` does.
 * Installs prefer npm's cache (`--prefer-offline`): the registry is asked only for what is missing.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killProcess, trackChild } from '../../support/processes.ts';
import { withDeadline } from '../../support/wait.ts';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const REPO_PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
/** The repository's TypeScript, for type-checking projects against the published declarations. */
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** The same @types/node the repository uses, for the projects' own type checks. */
export const TYPES_NODE = `@types/node@${REPO_PACKAGE.devDependencies['@types/node']}`;
export const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/**
 * The environment of a user's shell: this Node first on PATH (npm and its scripts run on it, as
 * `npm test` arranges for the repository), and none of the `npm_*` variables npm gives the test
 * run, which would leak this repository's settings into the projects' own npm commands.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.toLowerCase().startsWith('npm_')) env[name] = value;
  env.PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);
  return { ...env, ...extra };
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end within `timeoutMs` (then kills it and fails, with its output so far). */
export async function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult> {
  const child = trackChild(spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  try {
    const [status] = await withDeadline(`${command} ${args.join(' ')} in ${options.cwd}`, exited, options.timeoutMs ?? 120_000);
    return { status, stdout, stderr };
  } catch (err) {
    await killProcess(child);
    throw new Error(`${(err as Error).message}\n${stdout}\n${stderr}`);
  }
}

/** Runs a command that must succeed; returns its stdout. */
export async function runOk(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  const result = await run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export interface PackedPackage {
  tarball: string;
  bytes: number;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  /** The package.json as packed. */
  manifest: PackageManifest;
  /** The tarball unpacked (what `node_modules/durable-agents` holds after an install). */
  unpacked: string;
  remove(): void;
}

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  exports: Record<string, string | { types?: string; default: string }>;
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts: Record<string, string>;
}

/** `npm pack` of this repository (prepack builds dist/) into a temporary folder, unpacked beside it. */
export async function packPackage(): Promise<PackedPackage> {
  const dir = mkdtempSync(join(tmpdir(), 'durable-agents-pack-'));
  try {
    await runOk('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { cwd: ROOT, timeoutMs: 180_000 });
    const name = readdirSync(dir).find((file) => file.endsWith('.tgz'));
    if (!name) throw new Error(`npm pack wrote no tarball into ${dir}`);
    const tarball = join(dir, name);
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    await runOk('tar', ['-xzf', tarball, '-C', unpacked], { cwd: dir });
    const files = (await runOk('tar', ['-tzf', tarball], { cwd: dir }))
      .split('\n')
      .filter((line) => line && !line.endsWith('/'))
      .map((line) => line.replace(/^package\//, ''));
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8')) as PackageManifest;
    return { tarball, bytes: statSync(tarball).size, files, manifest, unpacked: join(unpacked, 'package'), remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface Project {
  dir: string;
  /** The installed package: `<dir>/node_modules/durable-agents`. */
  installed: string;
  remove(): void;
}

/**
 * A new project in a temporary folder (outside this repository, so nothing resolves from its
 * node_modules) with `files`, then `npm install` of the tarball and `packages`.
 */
export async function createProject(tarball: string, files: Record<string, string>, packages: string[] = []): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'durable-agents-project-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'my-project', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    await runOk('npm', [...NPM_INSTALL, tarball, ...packages], { cwd: dir, timeoutMs: 240_000 });
    return { dir, installed: join(dir, 'node_modules', 'durable-agents'), remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/** The file an `exports` entry points at, for plain JavaScript (`default`). */
export function exportTarget(manifest: PackageManifest, subpath: string): string {
  const entry = manifest.exports[subpath];
  if (!entry) throw new Error(`package.json exports has no ${subpath}`);
  return (typeof entry === 'string' ? entry : entry.default).replace(/^\.\//, '');
}
