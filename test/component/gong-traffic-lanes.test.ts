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
      for (const suffix of ['log', 'daily', 'pause-until', 'live-waiting', 'import-reservations']) await cleaner.del(`${p}:gong-traffic:${suffix}`);
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

  /** Waits, if needed, so that the next few seconds do not cross the end of a shortened budget day. */
  const awayFromDayEnd = async (dayMs: number) => {
    if (Date.now() % dayMs > dayMs - 5_000) await new Promise((resolve) => setTimeout(resolve, dayMs - (Date.now() % dayMs) + 50));
  };
  const refusal = (promise: Promise<void>) => promise.then(() => 'admitted', (e: unknown) => (e instanceof ImportShareSpentError ? 'share spent' : e));

  it("When an import's create must be followed by its upload, then it is admitted only while the share has room for both, and the upload gets the room its create kept", async () => {
    const lanes = limiter(prefix(), { perSecond: 100, dailyLimit: 10, importDailyShare: 0.3, dayMs: 60_000 });
    await awayFromDayEnd(60_000);
    // A share of 3: call A's create keeps the room for A's upload.
    expect(await refusal(lanes.acquire('createCall', undefined, { lane: 'import', reservation: { id: 'job-a', kind: 'reserve' } }))).toBe('admitted');
    expect(await lanes.budgetToday()).toMatchObject({ importRemaining: 1 });
    // Call B's create would leave no room for B's upload: refused, although one request of the share is left.
    expect(await refusal(lanes.acquire('createCall', undefined, { lane: 'import', reservation: { id: 'job-b', kind: 'reserve' } }))).toBe('share spent');
    // A request needing one (the upload of a call created on another day) still fits.
    expect(await refusal(lanes.acquire('uploadMedia', undefined, { lane: 'import' }))).toBe('admitted');
    expect(await refusal(lanes.acquire('uploadMedia', undefined, { lane: 'import' }))).toBe('share spent');
    // A's upload looks, then takes, on the room its create kept.
    await lanes.awaitTurn('uploadMedia', undefined, { lane: 'import', ticket: 'upload-a', reservation: { id: 'job-a', kind: 'use' } });
    expect(await refusal(lanes.acquire('uploadMedia', undefined, { lane: 'import', ticket: 'upload-a', reservation: { id: 'job-a', kind: 'use' } }))).toBe('admitted');
    expect(await lanes.budgetToday()).toMatchObject({ remaining: 7, importRemaining: 0 });
  });

  it('When a create asks again for the room it already keeps (a retried create), then it is not counted twice', async () => {
    const lanes = limiter(prefix(), { perSecond: 100, dailyLimit: 10, importDailyShare: 0.3, dayMs: 60_000 });
    await awayFromDayEnd(60_000);
    const reserve = { id: 'job-retried', kind: 'reserve' } as const;
    expect(await refusal(lanes.acquire('createCall', undefined, { lane: 'import', reservation: reserve }))).toBe('admitted');
    // Used 1 of 3 and 1 kept, its own: the same job's create again needs 1 + 2 (counting its own room twice: 4).
    expect(await refusal(lanes.acquire('createCall', undefined, { lane: 'import', reservation: reserve }))).toBe('admitted');
    expect(await refusal(lanes.acquire('uploadMedia', undefined, { lane: 'import', reservation: { id: 'job-retried', kind: 'use' } }))).toBe('admitted');
    expect(await lanes.budgetToday()).toMatchObject({ importRemaining: 0 });
  });

  it('When no upload comes for a kept room (its job died), then the room comes back once the reservation lapses', async () => {
    const lanes = limiter(prefix(), { perSecond: 100, dailyLimit: 10, importDailyShare: 0.3, dayMs: 60_000, importReservationMs: 500 });
    await awayFromDayEnd(60_000);
    await lanes.acquire('createCall', undefined, { lane: 'import', reservation: { id: 'job-dies', kind: 'reserve' } });
    expect(await refusal(lanes.acquire('createCall', undefined, { lane: 'import', reservation: { id: 'job-next', kind: 'reserve' } }))).toBe('share spent');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await refusal(lanes.acquire('createCall', undefined, { lane: 'import', reservation: { id: 'job-next', kind: 'reserve' } }))).toBe('admitted');
  });

  it('When a live request carries a reservation, then it is ignored: live calls may use the whole day', async () => {
    const lanes = limiter(prefix(), { perSecond: 100, dailyLimit: 10, importDailyShare: 0.5, dayMs: 60_000 });
    await awayFromDayEnd(60_000);
    await lanes.acquire('createCall', undefined, { reservation: { id: 'live-job', kind: 'reserve' } });
    // Nothing kept from the import share (5): a live call's upload needs no room of it.
    expect(await lanes.budgetToday()).toMatchObject({ remaining: 9, importRemaining: 5 });
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
