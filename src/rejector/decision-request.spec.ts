import { CaveatError } from '../core/errors';
import { batchItems, MAX_BATCH_ITEMS, parseDecisionRequest } from './decision-request';

const classes = new Set(['yes', 'no']);
const errorOf = (f: () => unknown): CaveatError => {
  try {
    f();
  } catch (e) {
    return e as CaveatError;
  }
  throw new Error('expected an error');
};

describe('parseDecisionRequest: hand-checked decision requests', () => {
  it('keeps the fields a decision reads and turns an integer item id into a string', () => {
    const r = parseDecisionRequest({ confidence: 0.7, predicted: 'no', concepts: { dark: true }, attributes: { age: 3 }, text: 'x', itemId: 42 }, classes);
    expect(r).toEqual({ input: { confidence: 0.7, predicted: 'no', concepts: { dark: true }, attributes: { age: 3 }, text: 'x' }, itemId: '42' });
    expect(parseDecisionRequest({ confidence: 0, predicted: 'yes', concepts: null }, classes)).toEqual({ input: { confidence: 0, predicted: 'yes' }, itemId: null });
  });

  it.each([
    ['not an object', [1], '', 'invalid_input', 'body'],
    ['confidence missing', { predicted: 'yes' }, '', 'invalid_input', 'confidence'],
    ['confidence NaN-like', { confidence: '0.5', predicted: 'yes' }, '', 'invalid_input', 'confidence'],
    ['predicted not a string', { confidence: 0.5, predicted: 1 }, '', 'invalid_input', 'predicted'],
    ['an unknown class', { confidence: 0.5, predicted: 'maybe' }, '', 'unknown_class', 'predicted'],
    ['an unknown class in probabilities', { confidence: 0.5, predicted: 'yes', probabilities: { yes: 0.5, maybe: 0.5 } }, '', 'unknown_class', 'probabilities.maybe'],
    ['probabilities without the predicted class', { confidence: 0.5, predicted: 'yes', probabilities: { no: 1 } }, '', 'invalid_input', 'probabilities.yes'],
    ['a flag that is not a boolean', { confidence: 0.5, predicted: 'yes', concepts: { dark: 1 } }, '', 'invalid_input', 'concepts.dark'],
    ['text not a string', { confidence: 0.5, predicted: 'yes', text: 3 }, '', 'invalid_input', 'text'],
    ['a fractional item id', { confidence: 0.5, predicted: 'yes', itemId: 1.5 }, '', 'invalid_input', 'itemId'],
    ['an unknown field, in a batch', { confidence: 0.5, predicted: 'yes', label: 'no' }, 'items[7].', 'invalid_input', 'items[7].label'],
    ['a batch item that is not an object', 'x', 'items[2].', 'invalid_input', 'items[2]'],
  ])('%s → %s naming %s', (_name, body, at, code, field) => {
    const e = errorOf(() => parseDecisionRequest(body, classes, at as string));
    expect(e).toBeInstanceOf(CaveatError);
    expect(e.code).toBe(code);
    expect(e.details.field).toBe(field);
  });

  it.each([
    ['a concept', '{"confidence":0.5,"predicted":"yes","concepts":{"__proto__":true}}', 'concepts.__proto__'],
    ['a class in probabilities', '{"confidence":0.5,"predicted":"yes","probabilities":{"yes":1,"__proto__":0}}', 'probabilities.__proto__'],
    ['an attribute (constructor with a prototype)', '{"confidence":0.5,"predicted":"yes","attributes":{"constructor":{"prototype":{"x":1}}}}', 'attributes.constructor'],
    ['a nested attribute value', '{"confidence":0.5,"predicted":"yes","attributes":{"a":[1,{"b":{"__proto__":{"x":1}}}]}}', 'attributes.a[1].b.__proto__'],
    ['an item field', '{"confidence":0.5,"predicted":"yes","__proto__":{"x":1}}', '__proto__'],
  ])('refuses a poisoning key in %s, naming it (the decide routes parse with plain JSON.parse)', (_name, json, field) => {
    const e = errorOf(() => parseDecisionRequest(JSON.parse(json), classes));
    expect([e.code, e.details.field]).toEqual(['invalid_input', field]);
  });

  it('accepts constructor where secure-json-parse does: a class, a concept, an attribute whose value has no prototype', () => {
    const withConstructor = new Set(['constructor', 'other']);
    const r = parseDecisionRequest(
      JSON.parse('{"confidence":0.5,"predicted":"constructor","probabilities":{"constructor":0.5,"other":0.5},"concepts":{"constructor":true},"attributes":{"constructor":"x","job":{"constructor":{"name":"y"}}}}'),
      withConstructor,
    );
    expect(r.input).toMatchObject({ predicted: 'constructor', concepts: { constructor: true }, attributes: { constructor: 'x' } });
  });

  it('checks a predicted class it cannot look up (no classes loaded) for storable text', () => {
    const e = errorOf(() => parseDecisionRequest({ confidence: 0.5, predicted: 'a\u0000b' }, null, 'items[4].'));
    expect([e.code, e.details.field]).toEqual(['invalid_input', 'items[4].predicted']);
  });

  it('walks attribute values nested deeper than the call stack without overflowing it', () => {
    const depth = 200_000;
    const deep = JSON.parse(`{"confidence":0.5,"predicted":"yes","attributes":{"a":${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}}}`);
    const e = errorOf(() => parseDecisionRequest(deep, classes));
    // The field is named by its first and last 100 characters.
    expect(e.details.field).toBe(`attributes.a${'[0]'.repeat(29)}[…${'[0]'.repeat(30)}.__proto__`);
    expect(parseDecisionRequest(JSON.parse(`{"confidence":0.5,"predicted":"yes","attributes":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`), classes).input.confidence).toBe(0.5);
  });

  it('does not check classes when they are unknown (the rejector failed to load)', () => {
    expect(parseDecisionRequest({ confidence: 0.5, predicted: 'maybe' }, null).input.predicted).toBe('maybe');
  });
});

describe('batchItems', () => {
  it('accepts 1 to 10,000 items and refuses more with 413 naming items', () => {
    expect(batchItems({ items: [{}] })).toHaveLength(1);
    expect(batchItems({ items: new Array(MAX_BATCH_ITEMS).fill({}) })).toHaveLength(MAX_BATCH_ITEMS);
    const e = errorOf(() => batchItems({ items: new Array(MAX_BATCH_ITEMS + 1).fill({}) }));
    expect([e.code, e.details.field]).toEqual(['payload_too_large', 'items']);
  });
  it.each([
    ['no items', {}, 'items'],
    ['an empty list', { items: [] }, 'items'],
    ['a list that is not one', { items: {} }, 'items'],
    ['an unknown field', { items: [{}], other: 1 }, 'other'],
  ])('400 for %s', (_name, body, field) => {
    const e = errorOf(() => batchItems(body));
    expect([e.code, e.details.field]).toEqual(['invalid_input', field]);
  });
});
