/**
 * The JSON body parser of every route that takes JSON: express's own, plus two checks on the raw bytes before they
 * are parsed. The bytes must be UTF-8 (RFC 8259 §8.1): Latin-1 or Windows-1252 bytes would otherwise be decoded to
 * U+FFFD and the record accepted with its letters silently replaced. And arrays and objects may nest at most
 * `MAX_JSON_DEPTH` deep: no MoSy document needs more than a handful of levels, and a body of a million `[` would
 * otherwise reach every recursive walk after the parse. Both refusals are `invalid-request` (400) problem+json.
 */
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { MosyError } from '@mosy/core';

/** Deepest nesting of arrays and objects accepted in a JSON body. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/** The deepest nesting of arrays and objects in JSON text, counted on its bytes (strings skipped), up to `limit`. */
export function jsonDepth(bytes: Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  // Comparisons rather than a set lookup per byte, and a native search for the end of each string, where most of
  // a body's bytes are: this runs over every byte of every JSON body.
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) {
      // The closing quote is the next one preceded by an even number of backslashes (each escapes the next byte).
      let end = i;
      for (;;) {
        end = bytes.indexOf(QUOTE, end + 1);
        if (end === -1) return deepest;
        let backslashes = 0;
        while (bytes[end - 1 - backslashes] === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = end;
    } else if (b === OPEN_BRACKET || b === OPEN_BRACE) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE) depth--;
  }
  return deepest;
}

/** Throws `invalid-request` when the body is not UTF-8 or nests deeper than `MAX_JSON_DEPTH`. */
export function checkJsonBytes(bytes: Uint8Array): void {
  if (!isUtf8(bytes))
    throw new MosyError(
      'invalid-request',
      'The request body is not valid UTF-8; JSON must be sent in UTF-8 (a CSV file may be Windows-1252).',
    );
  if (jsonDepth(bytes, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new MosyError(
      'invalid-request',
      `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`,
    );
}

export interface JsonBodyOptions {
  /** Largest body in bytes, or an express size string (`4kb`). */
  readonly limit: number | string;
  /** @defaultValue `application/json` */
  readonly type?: string | readonly string[];
}

/** `express.json` with the checks above; strict (only objects and arrays at the top). */
export function jsonBody({ limit, type = 'application/json' }: JsonBodyOptions): RequestHandler {
  return express.json({
    limit,
    strict: true,
    type: typeof type === 'string' ? type : [...type],
    verify: (_req, _res, bytes) => checkJsonBytes(bytes),
  });
}
