/**
 * docs/deploy.md, the production checklist, names settings by their exact names: each one it writes
 * as code (`UPPER_CASE_NAME`, or `NAME=` in its command blocks) must be one the project uses, in
 * src/, deploy/, docker-compose.yml or scripts/, so the checklist cannot send anyone to set a
 * setting that does not exist. The only exceptions are Temporal's own connection names, which it
 * names to say the project does not read them: that must stay true too. Its links must resolve.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { environmentReads } from '../support/env-reads.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = join(ROOT, 'docs/deploy.md');
const doc = readFileSync(DOC, 'utf8');

/** Temporal's environment configuration (TLS, API keys, profiles): named by the checklist as what the processes do not read. */
const NOT_READ_TEMPORAL_NAMES = [
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
];

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
    const unknown = [...names].filter((name) => !NOT_READ_TEMPORAL_NAMES.includes(name) && !usedByProject(name));
    assert.deepEqual(unknown, [], 'names in docs/deploy.md that nothing in src/, deploy/, docker-compose.yml or scripts/ uses');
  });

  it("names Temporal's TLS and API-key settings only while the project does not read them", () => {
    const reads = environmentReads(ROOT);
    const read = NOT_READ_TEMPORAL_NAMES.filter((name) => reads.has(name));
    assert.deepEqual(read, [], 'read by src/ now: say how in docs/deploy.md, section 4, and drop them from this list');
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
