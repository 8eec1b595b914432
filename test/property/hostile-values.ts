import { randomBytes } from 'node:crypto';
import fc from 'fast-check';

/**
 * Generators of what a hostile but validly signing sender can put in a body. Raw JSON text is built by splicing
 * (`spliceJson`), since a body nested 5,000 deep cannot be made with JSON.stringify.
 */

/** A fresh hex nonce per generated body, so accepted calls of different runs never share a call id. */
export const nonce = () => fc.constant(null).map(() => randomBytes(16).toString('hex'));

const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
const control = fc.constantFrom('\u0000', '\u0001', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085');
const dotSegment = fc.constantFrom('..', '.', '../secret/x.wav', 'a/../../secret/x.wav', './x.wav', 'a/..', '..\\secret\\x.wav');
const badEscape = fc.constantFrom('%', '%E0%A4%A', '%zz', '%C3', '%ED%A0%80', '%FF%FE', '100%');
const blank = fc.constantFrom('', ' ', '\t', '   ', '\u00a0', '\u3000', '\n');

/** Any string a hostile sender might try: ordinary, unicode, lone surrogates, controls, dot segments, huge. */
export const hostileText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 })).map((p) => p.join('')),
    fc.tuple(fc.string({ maxLength: 8 }), control, fc.string({ maxLength: 8 })).map((p) => p.join('')),
    dotSegment,
    badEscape,
    blank,
    fc.integer({ min: 1000, max: 300_000 }).map((n) => 'k'.repeat(n)),
  );

/** Any JSON value (wrong types included), or a marker that `spliceJson` replaces by deep nesting. */
export const hostileJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
    { arbitrary: hostileText(), weight: 3 },
    { arbitrary: fc.integer({ min: 11, max: 6000 }).map((n) => ({ [DEEP]: n })), weight: 2 },
  );

const DEEP = '__deep_nesting__';

/** JSON text of a value in which `{"__deep_nesting__": n}` stands for n nested arrays (or objects, when odd). */
export function spliceJson(value: unknown): string {
  return JSON.stringify(value).replace(/\{"__deep_nesting__":(\d+)\}/g, (_m, digits: string) => {
    const n = Number(digits);
    return n % 2 ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`;
  });
}

/** A field left as is, or replaced by something hostile. */
export function maybe<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown> = hostileJson(), hostileWeight = 1): fc.Arbitrary<T | unknown> {
  return fc.oneof({ arbitrary: valid, weight: 10 }, { arbitrary: hostile, weight: hostileWeight });
}

/** Now and then the value, mostly null (`fc.option` is the other way round: mostly the value). */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, oneIn = 5): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });
}

/** Extra fields a body may carry, known to no schema. */
export const unknownFields = () => fc.dictionary(fc.string({ maxLength: 12 }), hostileJson(), { maxKeys: 2 });

/** A body record with one optional key removed now and then (a missing required field). */
export function dropSome<T extends Record<string, unknown>>(body: fc.Arbitrary<T>, keys: readonly string[]): fc.Arbitrary<T> {
  return fc.tuple(body, sometimes(fc.constantFrom(...keys), 8)).map(([b, drop]) => {
    if (drop === null) return b;
    const copy = { ...b };
    delete copy[drop];
    return copy;
  });
}
