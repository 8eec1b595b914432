/** The formats Gong accepts, told apart by their first bytes: a name ending in `.wav` proves nothing. */
export type MediaFormat = 'wav' | 'mp3' | 'mp4' | 'mkv' | 'flac';

/** Gong's upload limit: 1.5 GB. */
export const MAX_MEDIA_BYTES = 1.5 * 1024 ** 3;

/** Enough leading bytes to recognise every supported format (ID3 tags are skipped by size, see below). */
export const SNIFF_BYTES = 64;

export const CONTENT_TYPES: Record<MediaFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  mkv: 'video/x-matroska',
  flac: 'audio/flac',
};

const ascii = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString('latin1');

/** Recognises a recording's container from its first bytes; undefined when it is none Gong accepts. */
export function detectMediaFormat(head: Uint8Array): MediaFormat | undefined {
  if (head.length < 4) return undefined;
  const magic = ascii(head, 0, 4);
  // RIFF/RF64/BW64 with a WAVE form type: plain, 64-bit and broadcast WAV.
  if ((magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') && ascii(head, 8, 12) === 'WAVE') return 'wav';
  if (magic === 'fLaC') return 'flac';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'mkv'; // EBML
  if (ascii(head, 4, 8) === 'ftyp') return 'mp4';
  if (ascii(head, 0, 3) === 'ID3') return 'mp3';
  // An MPEG audio frame header: 11 sync bits, a valid version and layer III.
  if (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) === 0x02 && (head[1] & 0x18) !== 0x08) {
    return 'mp3';
  }
  return undefined;
}
