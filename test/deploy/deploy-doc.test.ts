/**
 * docs/deploy.md, the production checklist, names settings by their exact names: each one it writes
 * as code (`UPPER_CASE_NAME`, or `NAME=` in its command blocks) must be one the project uses, in
 * src/, deploy/, docker-compose.yml or scripts/, so the checklist cannot send anyone to set a
 * setting that does not exist. Temporal's own connection names (TLS, API keys, profiles) are read by
 * the SDK's loader the project calls: each of those must be one that loader reads. Its links must resolve.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = join(ROOT, 'docs/deploy.md');
const doc = readFileSync(DOC, 'utf8');

/** Temporal's environment configuration, read by the SDK's loader (src/engine/config.ts calls it), not by name in src/. */
const loaderSource = readFileSync(join(ROOT, 'node_modules/@temporalio/envconfig/lib/envconfig-toml.js'), 'utf8');
const readByTemporalLoader = (name: string) => name.startsWith('TEMPORAL_') && loaderSource.includes(`'${name}'`);

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

/** Everything the names must come from, as one text. */
const project = ['src', 'deploy', 'scripts', 'docker-compose.yml'].flatMap((part) => filesUnder(join(ROOT, part))).map((file) => readFileSync(file, 'utf8')).join('\n');

const FENCE = /^```[^\n]*\n([\s\S]*?)^```/gm;
const fencedBlocks = [...doc.matchAll(FENCE)].map((match) => match[1]!);
const prose = doc.replace(FENCE, '');

/** The names the checklist gives as settings: whole code spans in upper case, and assignments in its command blocks. */
function namesInDoc(): Set<string> {
  const names = new Set<string>();
  for (const match of prose.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`/g)) names.add(match[1]!);
  for (const block of fencedBlocks) for (const match of block.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/g)) names.add(match[1]!);
  return names;
}

const usedByProject = (name: string) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(project);

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');

function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.replace(FENCE, '').matchAll(/^#{1,6} (.+)$/gm);
  return new Set([...headings].map((match) => anchorOf(match[1]!)));
}

describe('docs/deploy.md', () => {
  it('names only settings the project uses', () => {
    const names = namesInDoc();
    assert.ok(names.has('TEMPORAL_ADDRESS') && names.has('RUN_STORE_DATABASE_URL'), 'the names are found at all');
    const unknown = [...names].filter((name) => !usedByProject(name) && !readByTemporalLoader(name));
    assert.deepEqual(unknown, [], "names in docs/deploy.md that nothing in src/, deploy/, docker-compose.yml or scripts/ uses, and Temporal's loader does not read");
  });

  it("names Temporal's TLS and API-key settings, which the loader reads", () => {
    const connection = ['TEMPORAL_API_KEY', 'TEMPORAL_TLS', 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE'];
    const names = namesInDoc();
    assert.deepEqual(connection.filter((name) => !names.has(name) || !readByTemporalLoader(name)), []);
  });

  it('links to files and headings that exist', () => {
    const broken: string[] = [];
    for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = match[1]!;
      if (/^[a-z]+:/.test(link)) continue;
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path ? join(dirname(DOC), path) : DOC;
      if (!existsSync(target)) broken.push(`${link} (no ${relative(ROOT, target)})`);
      else if (anchor !== undefined && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${link} (no such heading)`);
    }
    assert.deepEqual(broken, []);
  });
});
