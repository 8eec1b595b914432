import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * A valid PCM WAV (16-bit mono, 8 kHz) of exactly `totalBytes`, whose samples are a tone plus a random salt, so
 * every recording is unique: Gong (and its emulator) refuses the same bytes uploaded to a second call.
 */
export function makeWav(totalBytes: number, salt: Buffer = randomBytes(16)): Buffer {
  if (totalBytes < 44 + salt.length) throw new Error('a WAV needs at least 44 header bytes plus the salt');
  const buffer = Buffer.alloc(totalBytes);
  writeWavHeader(buffer, totalBytes);
  salt.copy(buffer, 44);
  for (let i = 44 + salt.length; i + 1 < totalBytes; i += 2) buffer.writeInt16LE(Math.round(8000 * Math.sin(i / 20)), i);
  return buffer;
}

function writeWavHeader(buffer: Buffer, totalBytes: number): void {
  buffer.write('RIFF', 0, 'latin1');
  buffer.writeUInt32LE(totalBytes - 8, 4);
  buffer.write('WAVEfmt ', 8, 'latin1');
  buffer.writeUInt32LE(16, 16); // fmt chunk size
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(8000, 24); // sample rate
  buffer.writeUInt32LE(16000, 28); // byte rate
  buffer.writeUInt16LE(2, 32); // block align
  buffer.writeUInt16LE(16, 34); // bits per sample
  buffer.write('data', 36, 'latin1');
  buffer.writeUInt32LE(totalBytes - 44, 40);
}

/**
 * A large WAV as a stream, generated in 1 MiB chunks so a benchmark can make a 1 GiB file without holding it.
 * Resolves the sha256 of what it produced once the stream ends.
 */
export function wavStream(totalBytes: number): { stream: Readable; sha256: Promise<string> } {
  const hash = createHash('sha256');
  let resolveHash: (h: string) => void;
  const sha256 = new Promise<string>((resolve) => (resolveHash = resolve));
  const chunkSize = 1024 * 1024;
  const tone = Buffer.alloc(chunkSize);
  for (let i = 0; i + 1 < chunkSize; i += 2) tone.writeInt16LE(Math.round(8000 * Math.sin(i / 20)), i);
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= totalBytes) {
        resolveHash(hash.digest('hex'));
        this.push(null);
        return;
      }
      const size = Math.min(chunkSize, totalBytes - produced);
      const chunk = produced === 0 ? makeWav(Math.max(size, 64)).subarray(0, size) : tone.subarray(0, size);
      if (produced === 0) chunk.writeUInt32LE(totalBytes - 8, 4), chunk.writeUInt32LE(totalBytes - 44, 40);
      hash.update(chunk);
      produced += size;
      this.push(chunk);
    },
  });
  return { stream, sha256 };
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
