import { Redis } from 'ioredis';
import { createGongTraffic, type GongTrafficOptions } from '../../src/traffic/gong-traffic.js';
import { GongBudgetExhaustedError, ImportShareSpentError } from '../../src/traffic/traffic-errors.js';
import { TEST_REDIS_URL, uniquePrefix } from '../../harness/support/test-queue.js';

/** The limiter's two lanes on the real Redis: live requests first, imports within their share of the day. */
describe('shared Gong limiter: live and import lanes', () => {
  const clients: Redis[] = [];
  const prefixes: string[] = [];
  const client = () => {
    const c = new Redis(TEST_REDIS_URL);
    clients.push(c);
    return c;
  };
  const limiter = (prefix: string, options: Partial<GongTrafficOptions> = {}) =>
    createGongTraffic({ redis: client(), prefix, perSecond: 4, dailyLimit: 10_000, dayMs: 86_400_000, windowMarginMs: 0, ...options });
  const prefix = () => {
    const p = `{${uniquePrefix('lanes')}}`;
    prefixes.push(p);
    return p;
  };
  afterAll(async () => {
    const cleaner = client();
    for (const p of prefixes) {
      for (const suffix of ['log', 'daily', 'pause-until', 'live-waiting']) await cleaner.del(`${p}:gong-traffic:${suffix}`);
    }
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('When live requests wait beside a crowd of import requests, then every live request is admitted before any import that was still waiting', async () => {
    const shared = prefix();
    const [importer, live] = [limiter(shared), limiter(shared)];
    const order: string[] = [];
    // Fill the second so that everyone has to wait, then let 12 imports and 4 live requests race.
    for (let i = 0; i < 4; i++) await importer.acquire('createCall', undefined, { lane: 'import' });
    const imports = Array.from({ length: 12 }, () => importer.acquire('createCall', undefined, { lane: 'import' }).then(() => order.push('import')));
    await new Promise((resolve) => setImmediate(resolve));
    const lives = Array.from({ length: 4 }, () => live.acquire('createCall').then(() => order.push('live')));
    await Promise.all([...imports, ...lives]);
    // At most the turns already promised when the live requests arrived may go to imports first.
    expect(order.slice(0, 5).filter((o) => o === 'live')).toHaveLength(4);
  });

  it('When no live request waits, then imports use the whole per-second rate', async () => {
    const importer = limiter(prefix(), { perSecond: 10 });
    const started = Date.now();
    for (let i = 0; i < 20; i++) await importer.acquire('createCall', undefined, { lane: 'import' });
    // 20 requests at 10/s, evenly spaced: about 1.9 s; at half the rate it would take about 3.9 s.
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it("When imports have used their share of the day, then they get ImportShareSpentError while live requests still go", async () => {
    const shared = prefix();
    const lanes = limiter(shared, { perSecond: 100, dailyLimit: 10, importDailyShare: 0.3, dayMs: 60_000 });
    if (Date.now() % 60_000 > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 50));
    for (let i = 0; i < 3; i++) await lanes.acquire('createCall', undefined, { lane: 'import' });
    const error = await lanes.acquire('createCall', undefined, { lane: 'import' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportShareSpentError);
    expect(error).toBeInstanceOf(GongBudgetExhaustedError); // so the worker delays it without counting an attempt
    expect((error as ImportShareSpentError).resetInMs).toBeLessThanOrEqual(60_000);
    for (let i = 0; i < 7; i++) await lanes.acquire('createCall');
    expect(await lanes.budgetToday()).toMatchObject({ remaining: 0, importRemaining: 0 });
    await expect(lanes.acquire('createCall')).rejects.toBeInstanceOf(GongBudgetExhaustedError);
  });

  it('When a live upload has looked for its turn and opens its recording, then an import cannot take that turn', async () => {
    const shared = prefix();
    const [importer, live] = [limiter(shared, { perSecond: 2 }), limiter(shared, { perSecond: 2 })];
    await live.awaitTurn('uploadMedia', undefined, { ticket: 'upload-1' });
    const order: string[] = [];
    const imported = importer.acquire('createCall', undefined, { lane: 'import' }).then(() => order.push('import'));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the recording takes a while to open
    await live.acquire('uploadMedia', undefined, { ticket: 'upload-1' }).then(() => order.push('live'));
    await imported;
    expect(order).toEqual(['live', 'import']);
  });
});
