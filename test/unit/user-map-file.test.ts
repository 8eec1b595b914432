import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logging/logger.js';
import { normalizeIdentity } from '../../src/calls/normalize-identity.js';
import { parseUserMap } from '../../src/config/parse-user-map.js';
import { createUserMapFile } from '../../src/sources/user-map/user-map-file.js';

const logger = createLogger('silent');

describe('USER_MAP_FILE', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'user-map-unit-'));
    file = join(dir, 'users.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (content: unknown) => {
    writeFileSync(`${file}.tmp`, typeof content === 'string' ? content : JSON.stringify(content));
    renameSync(`${file}.tmp`, file);
  };

  it('normalises numbers and case so the file and the vendors need not agree on formatting', () => {
    expect(normalizeIdentity(' +1 (415) 555-0100 ')).toBe('+14155550100');
    expect(normalizeIdentity('client:Ann')).toBe('client:ann');
    expect(normalizeIdentity('Bob@Acme.com')).toBe('bob@acme.com');
    expect(normalizeIdentity('sip:100@pbx.acme.com')).toBe('sip:100@pbx.acme.com');
  });

  it('maps identities to Gong emails or user ids, and names every bad entry', () => {
    expect(parseUserMap('{"+1 415 555 0100": "ann@acme.com", "client:bob": "234"}')).toEqual(new Map([['+14155550100', 'ann@acme.com'], ['client:bob', '234']]));
    expect(() => parseUserMap('{"a": "not an email", "b": 5}')).toThrow(/"a" must map.*"b" must map/);
    expect(() => parseUserMap('[]')).toThrow(/JSON object/);
  });

  it('picks up a replaced file on the next lookup, and keeps the previous map when the new one is invalid', () => {
    write({ 'client:ann': 'ann@acme.com' });
    const map = createUserMapFile({ path: file, logger, recheckMs: 0 });
    try {
      expect(map.lookup('client:ANN')).toBe('ann@acme.com');
      expect(map.lookup('+15550001111')).toBeUndefined();
      write({ 'client:ann': 'ann@acme.com', '+1 555 000 1111': '111' });
      expect(map.lookup('+15550001111')).toBe('111');
      write('{ not json');
      expect(map.lookup('+15550001111')).toBe('111');
      expect(map.size()).toBe(2);
    } finally {
      map.close();
    }
  });

  it('keeps the last good map when the file disappears while running, and loads it again when it is back', () => {
    write({ 'client:ann': '7' });
    const map = createUserMapFile({ path: file, logger, recheckMs: 0 });
    try {
      expect(map.lookup('client:ann')).toBe('7');
      rmSync(file);
      expect(map.lookup('client:ann')).toBe('7');
      write({ 'client:ann': '8' });
      expect(map.lookup('client:ann')).toBe('8');
    } finally {
      map.close();
    }
  });

  it('starts empty when the file is missing, and loads it once it appears', () => {
    const map = createUserMapFile({ path: file, logger, recheckMs: 0 });
    try {
      expect(map.lookup('client:ann')).toBeUndefined();
      write({ 'client:ann': '7' });
      expect(map.lookup('client:ann')).toBe('7');
    } finally {
      map.close();
    }
  });
});
