import { Readable } from 'node:stream';
import { FormDataEncoder } from 'form-data-encoder';

/** A file whose bytes come from a stream of known length: never read into memory. */
export interface StreamedFile {
  stream: Readable;
  size: number;
  name: string;
  type: string;
}

/**
 * form-data-encoder works on FormData-like objects holding File-like parts. These two adapters let it frame a
 * live stream (instead of a Blob in memory) and still compute the exact Content-Length from the declared size.
 */
class StreamedFilePart {
  readonly [Symbol.toStringTag] = 'File';
  readonly lastModified = Date.now();
  constructor(private readonly file: StreamedFile) {}
  get name(): string { return this.file.name; }
  get type(): string { return this.file.type; }
  get size(): number { return this.file.size; }
  stream(): AsyncIterable<Uint8Array> { return this.file.stream; }
}

class SingleFileForm {
  readonly [Symbol.toStringTag] = 'FormData';
  constructor(private readonly field: string, private readonly part: StreamedFilePart) {}
  append(): void { throw new Error('SingleFileForm is read-only'); }
  getAll(name: string): StreamedFilePart[] { return name === this.field ? [this.part] : []; }
  *entries(): IterableIterator<[string, StreamedFilePart]> { yield [this.field, this.part]; }
  [Symbol.iterator](): IterableIterator<[string, StreamedFilePart]> { return this.entries(); }
}

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  body: Readable;
}

/** A `multipart/form-data` body with one file field, streamed, with its exact length known in advance. */
export function multipartFileBody(field: string, file: StreamedFile): MultipartBody {
  const encoder = new FormDataEncoder(new SingleFileForm(field, new StreamedFilePart(file)));
  return {
    contentType: encoder.contentType,
    contentLength: Number(encoder.contentLength),
    body: Readable.from(encoder.encode(), { objectMode: false }),
  };
}
