/**
 * Differences from Agno that are known and accepted, each with its reason, and the readable
 * report of a comparison: every difference, the entry that allows it (or NOT ALLOWED), and the
 * entries that allowed nothing (the gap they stood for is closed: remove them).
 */
import type { Difference, DifferenceKind } from './compare.ts';

export interface Allowed {
  /**
   * - `extension`: ours on purpose, beyond AgentOS;
   * - `pending`: a gap a later phase closes (the reason says what closes it);
   * - `by design`: a difference in how the two systems work that stays.
   */
  why: 'extension' | 'pending' | 'by design';
  reason: string;
  kind: DifferenceKind | DifferenceKind[];
  /**
   * The key path, event name or emitter; `*` stands for any characters but `.`, `**` for any.
   * A path also allows everything under it.
   */
  path: string;
  /** Exchange labels it applies to (default: all). */
  label?: RegExp;
}

export interface Verdict {
  difference: Difference;
  allowedBy?: Allowed;
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) => part.split('*').map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]*'))
    .join('.*');
  return new RegExp(`^${body}(?:$|\\.|\\[\\])`);
}

export function allows(entry: Allowed, difference: Difference): boolean {
  const kinds = Array.isArray(entry.kind) ? entry.kind : [entry.kind];
  if (!kinds.includes(difference.kind)) return false;
  if (entry.label && !entry.label.test(difference.label)) return false;
  return globRegExp(entry.path).test(difference.path);
}

export function judge(differences: Difference[], allowlist: Allowed[]): { verdicts: Verdict[]; unused: Allowed[] } {
  const used = new Set<Allowed>();
  const verdicts = differences.map((difference) => {
    const allowedBy = allowlist.find((entry) => allows(entry, difference));
    if (allowedBy) used.add(allowedBy);
    return { difference, allowedBy };
  });
  return { verdicts, unused: allowlist.filter((entry) => !used.has(entry)) };
}

function line(verdict: Verdict): string {
  const d = verdict.difference;
  const sides = [d.agno !== undefined ? `agno: ${d.agno}` : '', d.ours !== undefined ? `ours: ${d.ours}` : ''].filter(Boolean).join('; ');
  const mark = verdict.allowedBy ? `allowed (${verdict.allowedBy.why}: ${verdict.allowedBy.reason})` : 'NOT ALLOWED';
  return `  ${d.kind.padEnd(13)} ${d.path || '(response)'}${sides ? `  [${sides}]` : ''}\n      → ${mark}`;
}

export function report(verdicts: Verdict[], unused: Allowed[]): string {
  const lines: string[] = [];
  const refused = verdicts.filter((v) => !v.allowedBy);
  lines.push(`Differences from Agno's AgentOS: ${verdicts.length} (${refused.length} not allowed)`);
  const labels = [...new Set(verdicts.map((v) => v.difference.label))];
  for (const label of labels) {
    lines.push('', `## ${label}`);
    for (const verdict of verdicts.filter((v) => v.difference.label === label)) lines.push(line(verdict));
  }
  if (unused.length) {
    lines.push('', 'Allowlist entries that matched nothing (the difference is gone: remove them):');
    for (const entry of unused) lines.push(`  ${String(entry.kind)} ${entry.path}${entry.label ? ` ${entry.label}` : ''} — ${entry.why}: ${entry.reason}`);
  }
  return lines.join('\n');
}
