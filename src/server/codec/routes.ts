/** Temporal's remote codec protocol, served for its Web UI: `/codec/decode`, `/codec/encode`. */
import { decodePayloads } from './decode.ts';
import { encodePayloads } from './encode.ts';

export const CODEC_ROUTES = [decodePayloads, encodePayloads];

/** Where the Web UI is told to send payloads (it appends `/decode` and `/encode`). */
export const CODEC_PATH = '/codec';
