import { existingCallIdFromDuplicate, isDuplicateMediaContent, isImportDisabled, isMediaAlreadyHandled, parseRetryAfter } from '../../src/gong/gong-error-text.js';

describe("reading Gong's error texts", () => {
  it('recovers the existing call id from the duplicate clientUniqueId answer', () => {
    expect(existingCallIdFromDuplicate(['clientUniqueId pbx-1 has already been posted for the call 7782342274025937895'])).toBe('7782342274025937895');
  });

  it('finds no id in other 400 texts', () => {
    expect(existingCallIdFromDuplicate(['actualStart is required'])).toBeUndefined();
  });

  it('recognises media already handled and same-content answers, and the import-disabled 409', () => {
    expect(isMediaAlreadyHandled(['Media for call 1 has already been handled'])).toBe(true);
    expect(isMediaAlreadyHandled(['A media file with the same content has been uploaded in the past'])).toBe(false);
    expect(isDuplicateMediaContent(['A media file with the same content has been uploaded in the past'])).toBe(true);
    expect(isImportDisabled(409, ['Recording or telephony call import is not enabled for primaryUser 1'])).toBe(true);
    expect(isImportDisabled(400, ['nope'])).toBe(false);
  });
});

describe('Retry-After parsing', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');
  it('reads whole seconds', () => expect(parseRetryAfter('7', now)).toBe(7_000));
  it('reads a value too large to be seconds as milliseconds', () => expect(parseRetryAfter('150000', now)).toBe(150_000));
  it('reads an HTTP date', () => expect(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', now)).toBe(30_000));
  it('falls back to the minimum for missing or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBe(1_000);
    expect(parseRetryAfter('soon', now)).toBe(1_000);
    expect(parseRetryAfter('0', now)).toBe(1_000);
  });
  it('clamps a very long wait to a day', () => expect(parseRetryAfter('86400', now)).toBe(86_400_000));
});
