import { detectMediaFormat } from '../../src/storage/media-format.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('recognising a recording by its first bytes', () => {
  it.each([
    ['wav', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
    ['wav', bytes('RF64', [0xff, 0xff, 0xff, 0xff], 'WAVEds64')],
    ['flac', bytes('fLaC', [0, 0, 0, 34])],
    ['mkv', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f])],
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom')],
    ['mp3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0])],
    ['mp3', bytes([0xff, 0xfb, 0x90, 0x64])],
  ])('knows %s', (format, head) => {
    expect(detectMediaFormat(head)).toBe(format);
  });

  it.each([
    ['a text file named .wav', bytes('hello this is not audio')],
    ['a RIFF that is not WAVE (AVI)', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['an MPEG layer II frame', bytes([0xff, 0xfd, 0x90, 0x64])],
    ['fewer than four bytes', bytes('RI')],
  ])('refuses %s', (_name, head) => {
    expect(detectMediaFormat(head)).toBeUndefined();
  });
});
