import { bucketNameProblem, callIdString, idProblem, s3KeyProblem, textProblem } from '../../src/sources/intake/field-rules.js';

describe('intake field rules', () => {
  describe('ids', () => {
    it('when an id is ordinary (any script, emoji, up to 2,048 chars), then it passes', () => {
      for (const id of ['pbx-000123', 'appel-été-ünïcödé', '通話-42', 'call-😀', 'x'.repeat(2048), 'a:b%c/d']) expect(idProblem(id)).toBeUndefined();
    });
    it.each([
      ['a lone high surrogate', 'x-\ud800', /well-formed Unicode/],
      ['a lone low surrogate', '\udc00-x', /well-formed Unicode/],
      ['empty', '', /blank/],
      ['whitespace only', ' \t\u00a0\u3000 ', /blank/],
      ['2,049 characters', 'x'.repeat(2049), /at most 2048 characters/],
      ['a newline', 'a\nb', /control characters/],
      ['a NUL', 'a\u0000b', /control characters/],
      ['a C1 control', 'a\u0085b', /control characters/],
    ])('when an id holds %s, then it is refused', (_what, id, problem) => {
      expect(idProblem(id)).toMatch(problem);
    });
    it('when an id is checked as a zod field, then the problem is the issue message', () => {
      const result = callIdString().safeParse(' ');
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/blank/);
      expect(callIdString().safeParse(42).success).toBe(false);
    });
  });

  describe('free text', () => {
    it('when text is blank or has controls, then it passes, but not a lone surrogate or too long', () => {
      expect(textProblem(' \n ', 10)).toBeUndefined();
      expect(textProblem('\ud83d', 10)).toMatch(/well-formed/);
      expect(textProblem('abcdef', 5)).toMatch(/at most 5/);
    });
  });

  describe('S3 keys', () => {
    it('when a key is an ordinary path (spaces, dots inside names, unicode, 1,024 bytes), then it passes', () => {
      for (const key of ['2026/11/20/a b.wav', 'a..b/c.d.wav', '.hidden/x.wav', 'x...', 'été/通話.wav', 'k'.repeat(1024), `${'é'.repeat(512)}`]) {
        expect(s3KeyProblem(key)).toBeUndefined();
      }
    });
    it.each([
      ['empty', '', /empty/],
      ['a ".." segment', '../secret/x.wav', /\. or \.\. path segments/],
      ['a "." segment', 'a/./b.wav', /\. or \.\. path segments/],
      ['a trailing ".." segment', 'a/..', /path segments/],
      ['a backslash ".." segment', '..\\secret\\x.wav', /path segments/],
      ['a lone surrogate', 'x-\ud800.wav', /well-formed/],
      ['1,025 bytes', 'k'.repeat(1025), /1024 bytes/],
      ['513 two-byte characters (1,026 bytes)', 'é'.repeat(513), /1024 bytes/],
      ['a control character', 'a\u0001b.wav', /control characters/],
      ['a DEL', 'a\u007fb.wav', /control characters/],
    ])('when a key has %s, then it is refused', (_what, key, problem) => {
      expect(s3KeyProblem(key)).toMatch(problem);
    });
  });

  describe('bucket names', () => {
    it('when a name follows S3 rules, old us-east-1 names included, then it passes', () => {
      for (const name of ['recordings', 'my.bucket-1', 'abc', 'a'.repeat(63), 'Legacy_Bucket', 'b'.repeat(255)]) expect(bucketNameProblem(name)).toBeUndefined();
    });
    it('when a name breaks S3 rules, then it is refused', () => {
      for (const name of ['', 'ab', 'a'.repeat(256), '-rec', 'rec-', 'a..b', '192.168.1.1', 'x\ud800y', 'rec/../secret', 'rec ordings', 'rec\u0000']) {
        expect(bucketNameProblem(name)).toBeDefined();
      }
    });
  });
});
