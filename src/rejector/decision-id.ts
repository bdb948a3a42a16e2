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
  const time = now.toString(16).padStart(12, '0');
  const b = pool;
  const o = offset;
  offset += 10;
  // version nibble 7; variant bits 10 (RFC 9562 §4.1) on the first random byte of the 4th group.
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex3(((b[o] & 0x0f) << 8) | b[o + 1])}-` +
    `${hex2((b[o + 2] & 0x3f) | 0x80)}${hex2(b[o + 3])}-${hex2(b[o + 4])}${hex2(b[o + 5])}${hex2(b[o + 6])}${hex2(b[o + 7])}${hex2(b[o + 8])}${hex2(b[o + 9])}`
  );
}

// Random bytes drawn 4 KiB at a time (one getrandom call per ~400 ids).
const pool = Buffer.alloc(4096);
let offset = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex2 = (x: number): string => HEX[x];
const hex3 = (x: number): string => x.toString(16).padStart(3, '0');
