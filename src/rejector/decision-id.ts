import { randomFillSync } from 'node:crypto';

/**
 * A time-ordered UUID (version 7, RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random
 * bits. Decision ids are generated in process like crypto.randomUUID() (version 4), but ids made
 * later sort later, so the decision log's primary-key index grows at its right edge instead of
 * splitting random pages: measured on the embedded database (with the multi-row INSERT the log
 * then used), ~18 µs of CPU per logged row in batches of 1,000 against ~28 µs with version-4 ids.
 */
export function decisionId(now: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = scratch;
  // The time part (8-4 hex digits and the dash after) is the same for every id of one millisecond.
  if (now !== lastTime) {
    lastTime = now;
    out.write(now.toString(16).padStart(12, '0'), 0, 'latin1');
    out.copy(out, 9, 8, 12);
    out[8] = DASH;
  }
  const b = pool;
  const o = offset;
  offset += 10;
  // version nibble 7; variant bits 10 (RFC 9562 §4.1) on the first random byte of the 4th group.
  out[13] = DASH;
  out[14] = 0x37;
  out[15] = HEX[b[o] & 0x0f];
  hex2(out, 16, b[o + 1]);
  out[18] = DASH;
  hex2(out, 19, (b[o + 2] & 0x3f) | 0x80);
  hex2(out, 21, b[o + 3]);
  out[23] = DASH;
  for (let i = 0; i < 6; i++) hex2(out, 24 + 2 * i, b[o + 4 + i]);
  // One flat string from the scratch bytes: concatenating pieces would leave a tree of them in
  // every logged record until it is written.
  return out.toString('latin1', 0, 36);
}

// Random bytes drawn 4 KiB at a time (one getrandom call per ~400 ids).
const pool = Buffer.alloc(4096);
let offset = pool.length;
// The id being written; its first 13 bytes hold the time part of `lastTime`.
const scratch = Buffer.alloc(36);
let lastTime = Number.NaN;
const DASH = 0x2d;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

function hex2(out: Buffer, at: number, x: number): void {
  out[at] = HEX[x >> 4];
  out[at + 1] = HEX[x & 0x0f];
}
