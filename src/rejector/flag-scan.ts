import { isAscii, isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseJsonBody } from '../common/json-body';
import type { PreparedRejector } from '../core/rejection/rejector';
import { MAX_BATCH_ITEMS } from './decision-request';

/**
 * The decide routes' bodies, parsed with their concept flags read natively (src/native/flag-scan.c).
 *
 * JSON.parse spends most of a decision request's parsing on its `concepts` object: a batch item
 * with 100 flags took ~5 of its ~7 µs (measured on the bench's 1.3 KB items). The native scanner
 * reads each item's flags into a row of codes, one column per concept the live rule sets read,
 * and hands JSON.parse a copy of the body with each flags object replaced by its row number. It
 * gives up on anything it does not read exactly (escaped or `__proto__` keys, values other than
 * true and false, a body it cannot follow), and the body is then parsed as it is, so answers and
 * errors are the same either way (flag-scan.spec.ts compares the two on random bodies).
 *
 * The addon is built by `npm ci` (node-gyp, package.json's install script). Where it did not
 * build, or with CAVEAT_NATIVE=0, every body is parsed by JSON.parse alone.
 */

interface NativeScanner {
  /** The version of this interface the addon was built with (INTERFACE in flag-scan.c). */
  interface: number;
  vocabulary(names: readonly string[]): object;
  /** [copy of the body, codes, rows], or null where the scanner gives up (beyond maxRows flags objects too). */
  scan(body: Buffer, vocabulary: object, batch: boolean, ascii: boolean, key: string, maxRows: number): [string, Uint8Array, number] | null;
}

const ADDON = join('build', 'Release', 'caveat_native.node');
const INTERFACE = 2;

function loadScanner(): { scanner: NativeScanner | null; why: string } {
  if (process.env.CAVEAT_NATIVE === '0') return { scanner: null, why: 'CAVEAT_NATIVE=0' };
  // The built service (CommonJS) knows its directory; Jest's ES modules do not, and run from the project root.
  const start = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, ADDON);
    if (existsSync(path)) {
      try {
        const module = { exports: {} as NativeScanner };
        process.dlopen(module, path);
        const built = module.exports.interface;
        if (built !== INTERFACE) return { scanner: null, why: `${path} was built from another version (interface ${built}, expected ${INTERFACE}): run npm install again` };
        return { scanner: module.exports, why: `loaded from ${path}` };
      } catch (e) {
        return { scanner: null, why: `${path} did not load: ${(e as Error).message}` };
      }
    }
    if (dirname(dir) === dir) return { scanner: null, why: `${ADDON} was not built (npm ci builds it with node-gyp; it needs python3, make and a C compiler)` };
  }
}

/** The native scanner, or null with the reason (the service logs it at start). */
export const nativeScanner = loadScanner();

/** The concepts whose flags are read natively: every concept the live rule sets read. */
export class FlagVocabulary {
  private constructor(
    readonly names: readonly string[],
    readonly handle: object,
    readonly scanner: NativeScanner,
  ) {}

  /** The concepts `sets` read, or null when they read none or the scanner is not available. */
  static of(sets: ReadonlyArray<PreparedRejector | undefined>, scanner: NativeScanner | null = nativeScanner.scanner): FlagVocabulary | null {
    if (scanner === null) return null;
    const names = new Set<string>();
    for (const set of sets) for (const c of set?.concepts ?? []) names.add(c.name);
    // A name with a lone surrogate has no UTF-8 spelling a body could match; it is left to JSON.parse.
    const list = [...names].filter((n) => Buffer.from(n, 'utf8').toString('utf8') === n);
    return list.length === 0 ? null : new FlagVocabulary(list, scanner.vocabulary(list), scanner);
  }
}

/** The flags a scan read: row r (of `rows`) holds `codes[r × names.length …]`. */
export interface FlagTable {
  readonly vocabulary: FlagVocabulary;
  readonly codes: Uint8Array;
  readonly rows: number;
}

/** A decide route's parsed body: the value JSON.parse gave and, when the scanner read the flags, their table. */
export class DecideBody {
  constructor(
    readonly value: unknown,
    readonly flags: FlagTable | null,
    /** The body as received, to parse again if the rejector changed between parsing and deciding. */
    readonly raw: Buffer,
  ) {}
}

const FLAGS_FIELD = 'concepts';

/** Bodies this process offered the scanner, and those it read (the rest went to JSON.parse whole). */
export const scanCounts = { tried: 0, read: 0 };

/**
 * Parses a decide route's body (`batch`: `{items: [...]}`; otherwise one request). Throws
 * JSON.parse's SyntaxError on invalid JSON. Without a vocabulary it is JSON.parse's value.
 */
export function parseDecideBody(raw: Buffer, vocabulary: FlagVocabulary | null, batch: boolean): DecideBody {
  if (vocabulary !== null && !startsWithBom(raw)) {
    scanCounts.tried++;
    const ascii = isAscii(raw);
    // Keys are matched as bytes; in a body that is not UTF-8, JSON.parse would read them decoded (U+FFFD).
    if (ascii || isUtf8(raw)) {
      // One flags object per item (a batch beyond MAX_BATCH_ITEMS is refused by batchItems, from JSON.parse's value).
      const scanned = scanOrNull(vocabulary, raw, batch, ascii);
      if (scanned !== null) {
        scanCounts.read++;
        return new DecideBody(JSON.parse(scanned[0]), { vocabulary, codes: scanned[1], rows: scanned[2] }, raw);
      }
    }
  }
  return new DecideBody(parseJsonBody(raw), null, raw);
}

/** The scan, or null where it gives up or fails: a failure is a bug of the scanner's, reported once; JSON.parse reads the body. */
function scanOrNull(vocabulary: FlagVocabulary, raw: Buffer, batch: boolean, ascii: boolean): [string, Uint8Array, number] | null {
  try {
    return vocabulary.scanner.scan(raw, vocabulary.handle, batch, ascii, FLAGS_FIELD, batch ? MAX_BATCH_ITEMS : 1);
  } catch (e) {
    if (!scanFailureReported) {
      scanFailureReported = true;
      process.stderr.write(`caveat: the native concept-flag scanner failed (${(e as Error).message}); the body was parsed by JSON.parse\n`);
    }
    return null;
  }
}
let scanFailureReported = false;

function startsWithBom(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}
