import { jsonTreeProblems, parseJsonWithin } from '../../src/sources/intake/json-limits.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON within limits', () => {
  it('when a body nests 500,000 arrays, then it is refused without overflowing the stack', () => {
    const result = parseJsonWithin(`{"data":{"context":${nested(500_000)}}}`, '(body)');
    expect(result).toEqual({ ok: false, fields: [{ field: 'data.context', problem: 'must not nest arrays or objects more than 32 levels deep' }] });
  });

  it('when a body nests exactly the limit, then it parses; one more level is refused', () => {
    expect(parseJsonWithin(nested(32), '(body)').ok).toBe(true);
    expect(parseJsonWithin(nested(33), '(body)').ok).toBe(false);
    expect(jsonTreeProblems({ a: { b: { c: 1 } } }, { maxDepth: 2 })).toEqual([{ path: ['a', 'b'], problem: 'must not nest arrays or objects more than 2 levels deep' }]);
  });

  it('when a string or a key anywhere holds a lone surrogate, then the answer names where', () => {
    expect(parseJsonWithin('{"data":{"parties":[{"name":"a\\ud800"}]}}', '(body)')).toEqual({
      ok: false,
      fields: [{ field: 'data.parties.0.name', problem: expect.stringMatching(/well-formed Unicode/) }],
    });
    expect(parseJsonWithin('{"Records":[{"\\udc00":1}]}', 'Message')).toMatchObject({ ok: false, fields: [{ field: 'Message.Records.0' }] });
  });

  it('when the deep nesting or the bad string is under a "__proto__" key, then it is found there too', () => {
    // JSON.parse makes "__proto__" an own key: the walk must read its value, not the prototype.
    expect(parseJsonWithin(`{"data":{"__proto__":${nested(40)}}}`, '(body)')).toEqual({ ok: false, fields: [{ field: 'data.__proto__', problem: 'must not nest arrays or objects more than 32 levels deep' }] });
    expect(parseJsonWithin('{"__proto__":{"x":"\\ud800"}}', '(body)')).toEqual({ ok: false, fields: [{ field: '__proto__.x', problem: expect.stringMatching(/well-formed Unicode/) }] });
  });

  it('when the bytes are not UTF-8 or not JSON, then the field says which', () => {
    expect(parseJsonWithin(Buffer.from([0x7b, 0xff, 0x7d]), '(body)')).toEqual({ ok: false, fields: [{ field: '(body)', problem: 'is not valid UTF-8' }] });
    expect(parseJsonWithin('{', '(body)')).toEqual({ ok: false, fields: [{ field: '(body)', problem: 'is not valid JSON' }] });
  });

  it('when a value is larger than its size limit as JSON, then it is refused', () => {
    expect(jsonTreeProblems(['x'.repeat(100)], { maxDepth: 3, maxJsonChars: 50 })).toEqual([{ path: [], problem: 'must be at most 50 characters as JSON' }]);
  });

  it('when thousands of strings are bad, then at most 10 problems are reported', () => {
    expect(jsonTreeProblems(Array.from({ length: 5000 }, () => '\ud800'), { maxDepth: 3 })).toHaveLength(10);
  });
});
