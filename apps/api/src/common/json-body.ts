import { json, type RequestHandler } from 'express';

/**
 * The deepest nesting of objects and arrays in a JSON text, found by one pass over its bytes
 * (brackets inside strings are text). Stops counting as soon as `max` is exceeded, so a hostile
 * body costs no more than reading it.
 */
export function exceedsJsonDepth(buf: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const byte = buf[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

/** An error the exception filter answers with its own status and code (body-parser keeps both). */
export class BodyRefusedError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyRefusedError';
  }
}

/**
 * JSON bodies up to `limitBytes` (larger: 413 PAYLOAD_TOO_LARGE) nested at most `maxDepth` deep
 * (deeper: 400 BODY_TOO_DEEP, refused before parsing, so neither the parser nor validation ever
 * recurses through it). Named `jsonParser` like Express's own, so Nest does not add a second one.
 */
export function jsonBodyParser(limitBytes: number, maxDepth: number): RequestHandler {
  return json({
    limit: limitBytes,
    verify: (_req, _res, buf) => {
      if (exceedsJsonDepth(buf, maxDepth))
        throw new BodyRefusedError(400, 'BODY_TOO_DEEP', `the request body nests objects and arrays deeper than ${maxDepth} levels`);
    },
  });
}
