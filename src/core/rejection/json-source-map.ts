/**
 * A strict JSON parser (RFC 8259) that also records where every value and key starts, so
 * that a rule-file error can name file:line:column. Values are exactly what JSON.parse
 * returns (strings and numbers are decoded by JSON.parse itself; a repeated key keeps the
 * last value, and is also reported, since it is almost always a mistake).
 */

/** 1-based line and column (in UTF-16 code units, tabs count as one) of a character offset. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface JsonLocation {
  /** Where the value starts. */
  value: SourcePosition;
  /** Where the key naming it starts (object members only). */
  key?: SourcePosition;
}

export interface ParsedJson {
  value: unknown;
  /** JSON pointer (RFC 6901, e.g. `/0/conditions/all/1/operator`) → location. The root is ''. */
  locations: Map<string, JsonLocation>;
  /** Keys that occur twice in one object (the later one wins, as in JSON.parse). */
  duplicateKeys: Array<{ pointer: string; at: SourcePosition }>;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: SourcePosition,
  ) {
    super(`${message} at ${at.line}:${at.column}`);
    this.name = 'JsonSyntaxError';
  }
}

/** A JSON pointer from path segments, escaping `~` and `/` as RFC 6901 requires. */
export const jsonPointer = (path: ReadonlyArray<string | number>): string =>
  path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

// Nesting deeper than this is refused rather than risking the stack on a hostile file.
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses `text` (a leading byte-order mark is ignored); throws JsonSyntaxError with a position. */
export function parseJsonWithLocations(text: string): ParsedJson {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const pos = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const locations = new Map<string, JsonLocation>();
  const duplicateKeys: ParsedJson['duplicateKeys'] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, pos(at));
  };
  const skipWs = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else return;
    }
  };
  const describe = (at: number): string => (at >= text.length ? 'end of input' : `'${text[at]}'`);

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) i += 2;
      else if (c < 0x20) fail('control character in string (escape it)');
      else i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid escape in string', start);
    }
  };

  const parseValue = (pointer: string, depth: number, key?: SourcePosition): unknown => {
    skipWs();
    const start = i;
    locations.set(pointer, key ? { value: pos(start), key } : { value: pos(start) });
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
      i++;
      return c === '{' ? parseObject(pointer, depth + 1) : parseArray(pointer, depth + 1);
    }
    if (c === '"') return parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    return fail(`unexpected ${describe(i)}, expected a value`);
  };

  const parseObject = (pointer: string, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    skipWs();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipWs();
      if (text[i] !== '"') fail(`unexpected ${describe(i)}, expected a quoted key`);
      const keyAt = pos(i);
      const k = parseString();
      skipWs();
      if (text[i] !== ':') fail(`unexpected ${describe(i)}, expected ':'`);
      i++;
      const childPointer = pointer + '/' + k.replace(/~/g, '~0').replace(/\//g, '~1');
      if (seen.has(k)) duplicateKeys.push({ pointer: childPointer, at: keyAt });
      seen.add(k);
      // defineProperty, so that a "__proto__" key becomes an own property as with JSON.parse.
      Object.defineProperty(out, k, { value: parseValue(childPointer, depth, keyAt), enumerable: true, writable: true, configurable: true });
      skipWs();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      fail(`unexpected ${describe(i)}, expected ',' or '}'`);
    }
  };

  const parseArray = (pointer: string, depth: number): unknown[] => {
    const out: unknown[] = [];
    skipWs();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue(`${pointer}/${out.length}`, depth));
      skipWs();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return out;
      }
      fail(`unexpected ${describe(i)}, expected ',' or ']'`);
    }
  };

  const value = parseValue('', 0);
  skipWs();
  if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
  return { value, locations, duplicateKeys };
}
