import { invalid } from '../errors';
import type { PreparedRejector, TextDetectors } from './rejector';

/** What a request brings that facts are made of. */
export interface FactSources {
  predicted: string;
  confidence: number;
  /** Concept flags set by the caller: concept name → present. */
  concepts?: Readonly<Record<string, unknown>>;
  /** The caller's flags as codes instead (the decide routes read them from the body's bytes). */
  flagCodes?: FlagCodes;
  attributes?: Readonly<Record<string, unknown>>;
  text?: string;
}

/** The code of a concept the caller said nothing of, said absent, said present. */
export const FLAG_NOT_GIVEN = 0;
export const FLAG_FALSE = 1;
export const FLAG_TRUE = 2;

/**
 * Caller concept flags already read from a request's bytes (src/rejector/flag-scan.ts):
 * `codes[at + j]` is the flag given for the concept `names[j]`, a FLAG_ code.
 */
export interface FlagCodes {
  readonly names: readonly string[];
  readonly codes: Uint8Array;
  readonly at: number;
}

/**
 * One request's text as prepared for a set of detectors, kept for the next rule set that decides
 * the same request (the active and the shadow set share their detectors): the text is tokenized
 * and stemmed once per request, not once per set. Make one per request; never share across requests.
 */
export interface PreparedTextMemo {
  detectors?: TextDetectors;
  prepared?: unknown;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const NONE: readonly string[] = Object.freeze([]);

/**
 * Fills the rejector's fact slots for one request and resolves every concept the rules read
 * (issue 6): caller flags first, then attribute concepts (only when every attribute their
 * condition reads is present), then text detectors (the text is prepared once, and only if a
 * detector is needed, or taken from `memo` when an earlier set of the same request prepared it).
 * Returns the concepts left unresolved; their slots stay undefined, which json-rules-engine
 * semantics read as "neither true nor false".
 */
export function fillFacts(r: PreparedRejector, src: FactSources, memo?: PreparedTextMemo): readonly string[] {
  const v = r.values;
  if (r.predictedSlot >= 0) v[r.predictedSlot] = src.predicted;
  if (r.confidenceSlot >= 0) v[r.confidenceSlot] = src.confidence;
  const attrs = src.attributes;
  const slots = r.attributeSlots;
  for (let i = 0; i < slots.length; i++) {
    const name = r.attributeNames[i];
    v[slots[i]] = attrs !== undefined && has(attrs, name) ? attrs[name] : undefined;
  }
  const concepts = r.concepts;
  if (concepts.length === 0) return NONE;
  const conceptSlots = r.conceptSlots;

  const flags = src.concepts;
  // Flags given for concepts the rules read (a JSON object has each key once).
  let flagged = 0;
  const codes = src.flagCodes;
  if (codes !== undefined) {
    const columns = flagColumns(r, codes.names);
    const row = codes.codes;
    const at = codes.at;
    // Every concept slot is written here (no separate clearing pass): the flag, or undefined.
    for (let i = 0; i < conceptSlots.length; i++) {
      const j = columns[i];
      const code = j < 0 ? FLAG_NOT_GIVEN : row[at + j];
      // Anything but the two flag codes (FLAG_NOT_GIVEN, or a read past the row) says nothing.
      if (code === FLAG_TRUE) {
        v[conceptSlots[i]] = true;
        flagged++;
      } else if (code === FLAG_FALSE) {
        v[conceptSlots[i]] = false;
        flagged++;
      } else {
        v[conceptSlots[i]] = undefined;
      }
    }
    if (flagged === conceptSlots.length) return NONE;
  } else {
    for (let i = 0; i < conceptSlots.length; i++) v[conceptSlots[i]] = undefined;
    if (flags !== undefined && flags !== null) {
      // for…in lists inherited enumerable keys too; plain (JSON) objects have none, so the
      // per-key own-property check (≈ 30 ns each, most of the cost with 100 flags) is only paid
      // for objects with another prototype.
      const proto = Object.getPrototypeOf(flags);
      const plain = proto === Object.prototype || proto === null;
      const slotOf = r.conceptSlotOf;
      for (const name in flags) {
        const slot = slotOf[name];
        if (slot === undefined) continue; // a flag no rule reads
        if (!plain && !has(flags, name)) continue;
        const flag = flags[name];
        if (typeof flag !== 'boolean') throw invalid(`concepts.${name}`, 'must be true or false');
        v[slot] = flag;
        flagged++;
      }
      // Every concept flagged (a client that sends all its flags): nothing left to resolve.
      if (flagged === conceptSlots.length) return NONE;
    }
  }

  let unresolved: string[] | undefined;
  let prepared: unknown;
  let isPrepared = false;
  for (let i = 0; i < conceptSlots.length; i++) {
    if (v[conceptSlots[i]] !== undefined) continue;
    const c = concepts[i];
    if (c.predicate !== undefined && allPresent(v, c.needs!)) {
      v[c.slot] = c.predicate(v);
      continue;
    }
    if (c.detector >= 0 && src.text !== undefined && r.text !== undefined) {
      if (!isPrepared) {
        prepared = prepareText(r.text, src.text, memo);
        isPrepared = true;
      }
      v[c.slot] = r.text.detectors[c.detector].detect(prepared) === true;
      continue;
    }
    (unresolved ??= []).push(c.name);
  }
  return unresolved ?? NONE;
}

/** Where each concept the rules read sits among `names` (-1: not there), worked out once per list of names. */
function flagColumns(r: PreparedRejector, names: readonly string[]): Int32Array {
  const cache = r.flagColumns;
  if (cache.names !== names) {
    const column = new Map(names.map((n, j) => [n, j]));
    r.concepts.forEach((c, i) => (cache.columns[i] = column.get(c.name) ?? -1));
    cache.names = names;
  }
  return cache.columns;
}

function prepareText(text: TextDetectors, raw: string, memo: PreparedTextMemo | undefined): unknown {
  if (memo === undefined) return text.prepare(raw);
  if (memo.detectors !== text) {
    memo.prepared = text.prepare(raw);
    memo.detectors = text;
  }
  return memo.prepared;
}

function allPresent(v: readonly unknown[], needs: Int32Array): boolean {
  for (let i = 0; i < needs.length; i++) if (v[needs[i]] === undefined) return false;
  return true;
}
