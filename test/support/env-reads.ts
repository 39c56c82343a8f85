/**
 * The environment variables a source tree reads, found in its text: `env.NAME`, `env?.NAME`,
 * `env['NAME']` (on `process.env` or any `env` parameter), and, in a file that indexes `env` with
 * a variable, the upper-case names it passes around in string literals (`byteCount(env, 'NAME')`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const STATIC_READ = /\benv(?:\?\.|\.)([A-Z][A-Z0-9_]*)\b|\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g;
const DYNAMIC_READ = /\benv\[\s*[a-zA-Z_$]/;
const NAME_LITERAL = /['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Each variable read under `dir`, with the files (relative to `root`) that read it. */
export function environmentReads(root: string, dir = 'src'): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>();
  const add = (name: string, file: string) => reads.set(name, (reads.get(name) ?? new Set()).add(file));
  for (const path of sourceFiles(join(root, dir))) {
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(STATIC_READ)) add((match[1] ?? match[2])!, file);
    if (DYNAMIC_READ.test(text)) for (const match of text.matchAll(NAME_LITERAL)) add(match[1]!, file);
  }
  return reads;
}
