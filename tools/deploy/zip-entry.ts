import { open } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Reads one file out of a ZIP archive with nothing but node:fs and node:zlib, so the deploy checks need no
 * `unzip` binary on a clean machine. Handles what ordinary zip tools write: stored (0) or deflated (8) entries,
 * found through the central directory. ZIP64 and encrypted archives are refused with a message, not misread.
 */

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;

export class ZipError extends Error {
  override readonly name = 'ZipError';
}

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Returns the uncompressed bytes of `entryName`, checked against the archive's size and CRC-32. */
export async function readZipEntry(zipPath: string, entryName: string): Promise<Buffer> {
  const file = await open(zipPath, 'r');
  try {
    const { size: fileSize } = await file.stat();
    const readAt = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      if (bytesRead !== length) throw new ZipError(`${zipPath}: truncated at byte ${position + bytesRead}`);
      return buffer;
    };

    const tailLength = Math.min(fileSize, EOCD_MIN_LENGTH + MAX_COMMENT_LENGTH);
    const tail = await readAt(fileSize - tailLength, tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0 || tail.readUInt32LE(eocd) !== EOCD_SIGNATURE) throw new ZipError(`${zipPath}: not a ZIP archive`);
    const entryCount = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entryCount === 0xffff || directoryOffset === 0xffffffff) throw new ZipError(`${zipPath}: ZIP64 archives are not supported`);

    const entry = findEntry(await readAt(directoryOffset, directorySize), entryCount, entryName);
    if (!entry) throw new ZipError(`${zipPath}: no entry named ${entryName}`);
    if (entry.flags & 0x1) throw new ZipError(`${zipPath}: ${entryName} is encrypted`);

    const local = await readAt(entry.localHeaderOffset, 30);
    if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipError(`${zipPath}: bad local header for ${entryName}`);
    const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const compressed = await readAt(dataStart, entry.compressedSize);

    let data: Buffer;
    if (entry.method === 0) data = compressed;
    else if (entry.method === 8) data = inflateRawSync(compressed);
    else throw new ZipError(`${zipPath}: ${entryName} uses compression method ${entry.method}`);
    if (data.length !== entry.size) throw new ZipError(`${zipPath}: ${entryName} inflated to ${data.length} bytes, expected ${entry.size}`);
    if (crc32(data) !== entry.crc) throw new ZipError(`${zipPath}: ${entryName} fails its CRC-32 check`);
    return data;
  } finally {
    await file.close();
  }
}

function findEntry(directory: Buffer, entryCount: number, entryName: string): CentralEntry | undefined {
  let offset = 0;
  for (let i = 0; i < entryCount; i++) {
    if (directory.readUInt32LE(offset) !== CENTRAL_SIGNATURE) throw new ZipError(`bad central directory record ${i}`);
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const name = directory.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entryName) {
      const entry: CentralEntry = {
        name,
        flags: directory.readUInt16LE(offset + 8),
        method: directory.readUInt16LE(offset + 10),
        crc: directory.readUInt32LE(offset + 16),
        compressedSize: directory.readUInt32LE(offset + 20),
        size: directory.readUInt32LE(offset + 24),
        localHeaderOffset: directory.readUInt32LE(offset + 42),
      };
      if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localHeaderOffset === 0xffffffff) {
        throw new ZipError(`${entryName} needs ZIP64, which is not supported`);
      }
      return entry;
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return undefined;
}
