import jestSequencer from '@jest/test-sequencer';

/** The package is CommonJS: its class is the default export's `default`. */
const Sequencer = jestSequencer.default ?? jestSequencer;

/**
 * Test files run in an order drawn from jest's seed (printed with --showSeed; `--seed=N` replays it), so that a file
 * that passes only after another one fails. `--randomize` also shuffles the tests inside each file (jest's own).
 * JEST_FILE_ORDER=default keeps jest's order (slowest and failed first).
 */
export default class RandomOrderSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.globalConfig = options.globalConfig;
  }

  sort(tests) {
    if (process.env.JEST_FILE_ORDER === 'default') return super.sort(tests);
    const next = mulberry32(this.globalConfig.seed >>> 0);
    const sorted = [...tests].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (let i = sorted.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
    }
    return sorted;
  }
}

/** A small seeded generator: the same seed gives the same order on every machine. */
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
