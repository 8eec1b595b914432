/**
 * Time to recover: the longest stretch without a success (a 202, or media reaching Gong) from the fault until the
 * last success. A fault the service rides through without a pause shows the normal gap between successes.
 */
export function longestStallAfter(at: number, successes: Iterable<number>): number | null {
  const after = [...successes].filter((t) => t >= at).sort((a, b) => a - b);
  if (after.length === 0) return null;
  let longest = after[0]! - at;
  for (let i = 1; i < after.length; i++) longest = Math.max(longest, after[i]! - after[i - 1]!);
  return longest;
}

/** A small seeded generator (mulberry32), so a "random" kill schedule can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
