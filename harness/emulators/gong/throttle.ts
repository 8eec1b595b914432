import { Transform } from 'node:stream';

/**
 * A pass-through that lets at most `bytesPerSecond()` bytes a second through, read per slice so `configure` can
 * slow or release an upload already under way. Holding bytes back makes the pipe stop reading the socket, so TCP
 * flow control slows the real client: "in the middle of an upload" becomes a moment a test can reach.
 */
export function createThrottle(bytesPerSecond: () => number): Transform {
  let nextFree = 0; // when the bytes let through so far have "taken their time"
  let timer: NodeJS.Timeout | undefined;

  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let offset = 0;
      const step = (): void => {
        timer = undefined;
        if (offset >= chunk.length) return done();
        const rate = bytesPerSecond();
        if (!Number.isFinite(rate)) {
          this.push(chunk.subarray(offset));
          return done();
        }
        // Slices of about 50 ms keep progress events smooth even when a socket hands over a large chunk.
        const piece = chunk.subarray(offset, offset + Math.max(1, Math.floor(rate / 20)));
        offset += piece.length;
        const now = Date.now();
        nextFree = Math.max(now, nextFree) + (piece.length / rate) * 1000;
        timer = setTimeout(() => {
          this.push(piece);
          step();
        }, nextFree - now);
      };
      step();
    },
    destroy(error, callback) {
      if (timer) clearTimeout(timer);
      callback(error);
    },
  });
}
