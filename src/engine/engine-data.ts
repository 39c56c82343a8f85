/**
 * The blob store behind an engine's Temporal client: where the readers of a run find the texts it
 * holds by reference and the segments of its archived event log. It is the store of the client's
 * data converter (the claim-check's), so every process that can read a run's history can read
 * these too.
 */
import type { Client } from '@temporalio/client';
import type { BlobStore } from '../data-plane/blob-store.ts';
import { blobDriverOf } from '../data-plane/data-converter.ts';
import { RunTexts } from '../data-plane/run-texts.ts';
import type { TextScope } from '../data-plane/run-texts.ts';

export interface EngineData {
  blobs: BlobStore;
  texts: RunTexts;
}

const byClient = new WeakMap<Client, EngineData>();

export function engineData(client: Client): EngineData {
  let data = byClient.get(client);
  if (!data) {
    const blobs = blobDriverOf(client.options.loadedDataConverter)?.blobs ?? NO_BLOB_STORE;
    data = { blobs, texts: new RunTexts(blobs) };
    byClient.set(client, data);
  }
  return data;
}

/** A client built without the data plane's converter still reads runs that hold no references. */
const NO_BLOB_STORE: BlobStore = {
  location: 'no blob store',
  put: missing,
  get: missing,
  delete: missing,
  list: missing,
  checkReady: missing,
};

function missing(): never {
  throw new Error("This Temporal client has no blob store: build it with the data plane's converter (createDataConverter).");
}

/** Whose texts a reader of run `runId` may read (its own, its children's, its parents'). */
export function textScope(client: Client, runId: string): TextScope {
  return { namespace: client.options.namespace, runId };
}
