/**
 * Where a payload's blob lives: `runs/<namespace>/<workflow id>/<sha256 of the payload>`.
 *
 * - Content-addressed: a payload stored twice (the same tool output in two model calls' inputs,
 *   an activity retried) is one blob, and a claim can be checked against its bytes.
 * - One prefix per run (per Temporal workflow id): the blobs of a run are listed and deleted
 *   together once Temporal has dropped the run.
 *
 * Ids are percent-encoded, `.` included, so any id is a safe key (and file path); an id longer
 * than one segment may be is split over several, re-joined when a key is read.
 */
import type { StorageDriverTargetInfo } from '@temporalio/common';

const RUNS = 'runs';
const UNSCOPED = 'unscoped';
const SEGMENT_CHARS = 200;

export function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/[.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function encodeLongSegment(text: string): string {
  const encoded = encodeSegment(text);
  const parts: string[] = [];
  for (let i = 0; i < encoded.length; i += SEGMENT_CHARS) parts.push(encoded.slice(i, i + SEGMENT_CHARS));
  return parts.join('/');
}

/** The prefix of every blob of one run (ends with `/`). */
export function runPrefix(namespace: string, workflowId: string): string {
  return `${RUNS}/${encodeSegment(namespace)}/${encodeLongSegment(workflowId)}/`;
}

/** The prefix of every run's blobs in a namespace (ends with `/`). */
export function namespacePrefix(namespace: string): string {
  return `${RUNS}/${encodeSegment(namespace)}/`;
}

/** The key of a payload with this digest, stored for this target (the run that produced it). */
export function blobKey(target: StorageDriverTargetInfo | undefined, digest: string): string {
  if (target?.kind === 'workflow' && target.id) return `${runPrefix(target.namespace, target.id)}${digest}`;
  // Standalone activities and callers that give no run: no run owns these, so gc leaves them.
  return `${UNSCOPED}/${digest}`;
}

/** The run a key belongs to, or `undefined` for keys outside `runs/`. */
export function parseRunKey(key: string): { namespace: string; workflowId: string; prefix: string } | undefined {
  const segments = key.split('/');
  if (segments[0] !== RUNS || segments.length < 4) return undefined;
  const idParts = segments.slice(2, -1);
  return {
    namespace: decodeURIComponent(segments[1]!),
    workflowId: decodeURIComponent(idParts.join('')),
    prefix: `${segments.slice(0, -1).join('/')}/`,
  };
}
