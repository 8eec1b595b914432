import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import got from 'got';
import { Redis } from 'ioredis';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { createOAuthRuntime, type OAuthSettings } from '../../src/oauth/oauth-runtime.js';
import { OAuthGrantRefusedError } from '../../src/oauth/oauth-errors.js';
import { startGongEmulator, type GongEmulator } from '../../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3, type LocalS3 } from '../../harness/support/local-s3.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { localServiceEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import { freePort } from '../../harness/support/service-process.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { tenantSecret, writeTenantsFile } from '../../harness/support/tenant-fixtures.js';
import { openTestQueue, TEST_REDIS_URL, uniquePrefix, type TestQueue } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/**
 * Gong's OAuth app flow for a partner's tenants, over real HTTP: the service (API and worker in this process), real
 * Redis and s3rver, and two Gong emulators: acme's company, which also plays app.gong.io (authorize and
 * generate-customer-token), and beta's, a company with an access key of its own.
 */
describe('tenants connected through Gong OAuth', () => {
  const ADMIN_TOKEN = 'oauth-admin-token-oauth-admin-token';
  let s3: LocalS3;
  let acmeGong: GongEmulator;
  let betaGong: GongEmulator;
  let defaultGong: GongEmulator;
  let service: ServiceHandle;
  let queue: TestQueue;
  let prefix: string;
  let redirectUrl: string;
  const encryptionKey = randomBytes(32);

  beforeAll(async () => {
    [s3, acmeGong, betaGong, defaultGong] = await Promise.all([
      startLocalS3(['recordings', 'acme-recordings', 'beta-recordings']),
      startGongEmulator({ ratePerSecond: 3, oauthClientId: 'partner-app', oauthClientSecret: 'partner-app-secret' }),
      startGongEmulator({ accessKey: 'beta-key', accessKeySecret: 'beta-secret' }),
      startGongEmulator({}),
    ]);
    const tenants = writeTenantsFile([
      { id: 'acme', auth: 'oauth', gongUrl: '', accessKey: '', accessKeySecret: '', ratePerSecond: 3, buckets: ['acme-recordings'] },
      { id: 'beta', gongUrl: betaGong.url, accessKey: 'beta-key', accessKeySecret: 'beta-secret', ratePerSecond: 5, buckets: ['beta-recordings'] },
    ]);
    prefix = uniquePrefix('oauth');
    queue = await openTestQueue(prefix);
    // The redirect URL is registered with Gong's app before the service runs, so the port is chosen here.
    const port = await freePort();
    redirectUrl = `http://127.0.0.1:${port}/oauth/gong/callback`;
    service = await startInProcess(
      localServiceEnv(
        { redisUrl: TEST_REDIS_URL, prefix, gongUrl: defaultGong.url, s3Endpoint: s3.endpoint },
        {
          ...tenants.env,
          PORT: String(port),
          TENANTS_FILE: tenants.file,
          ADMIN_TOKEN,
          GONG_OAUTH_CLIENT_ID: 'partner-app',
          GONG_OAUTH_CLIENT_SECRET: 'partner-app-secret',
          GONG_OAUTH_REDIRECT_URL: redirectUrl,
          GONG_OAUTH_AUTHORIZE_URL: acmeGong.oauth.authorizeUrl,
          GONG_OAUTH_TOKEN_URL: acmeGong.oauth.tokenUrl,
          TOKEN_ENCRYPTION_KEY: encryptionKey.toString('base64'),
          JOB_BACKOFF_MS: '200',
          WORKER_LOCK_DURATION_MS: '4000',
          WORKER_SHUTDOWN_GRACE_MS: '10000',
        },
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await Promise.all([s3?.close(), acmeGong?.close(), betaGong?.close(), defaultGong?.close(), queue?.close()]);
  });

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  /** The operator's part: /start (admin token), Gong's consent page, and the browser landing on the callback. */
  async function connect(tenant: string) {
    const start = await got(`${service.url}/oauth/gong/start`, { searchParams: { tenant }, headers: admin, followRedirect: false, throwHttpErrors: false });
    expect(start.statusCode).toBe(302);
    const consent = await got(start.headers.location!, { followRedirect: false, throwHttpErrors: false });
    expect(consent.statusCode).toBe(302);
    const callbackUrl = consent.headers.location!;
    const callback = await got(callbackUrl, { throwHttpErrors: false, responseType: 'json' });
    return { start, callbackUrl, callback };
  }

  async function ingest(tenant: string, bucket: string) {
    const callId = `pbx-${randomUUID()}`;
    const audio = makeWav(16 * 1024);
    await s3.put(bucket, `${callId}.wav`, audio);
    const answer = await sendGenericWebhook(`${service.url}/t/${tenant}`, recordingReadyEvent(callId, `${callId}.wav`, { recording: { bucket, key: `${callId}.wav` } }), { secret: tenantSecret(tenant) });
    expect(answer.statusCode).toBe(202);
    return { callId, audio, jobId: jobIdForCall(callId, tenant) };
  }

  const tenantsView = async () => (await got(`${service.url}/admin/tenants`, { headers: admin }).json<{ tenants: Array<{ id: string; connected: boolean; connection?: { state: string; reason?: string } }> }>()).tenants;

  it("when an operator connects a tenant, then /start sends them to Gong's authorize page with a signed state and the callback stores the tokens sealed", async () => {
    const { start, callback, callbackUrl } = await connect('acme');
    const authorize = new URL(start.headers.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(acmeGong.oauth.authorizeUrl);
    expect(authorize.searchParams.get('client_id')).toBe('partner-app');
    expect(authorize.searchParams.get('redirect_uri')).toBe(redirectUrl);
    expect(authorize.searchParams.get('scope')).toBe('api:calls:create api:users:read');
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toMatchObject({ tenant: 'acme', connected: true, apiHost: new URL(acmeGong.url).host });

    const stored = await queue.queue.client.then((c) => c.hgetall(`{${prefix}}:oauth:acme`));
    expect(stored.state).toBe('connected');
    const { accessToken, refreshToken } = acmeGong.oauth.issued.at(-1)!;
    for (const secret of [accessToken, refreshToken, 'partner-app-secret']) {
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(service.output()).not.toContain(secret);
    }
    // The same redirect a second time (a reload, a replayed link): the state was single use.
    const again = await got(callbackUrl, { throwHttpErrors: false, responseType: 'json' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toMatchObject({ fields: [{ field: 'state', problem: expect.stringContaining('used already') }] });
    const acme = (await tenantsView()).find((t) => t.id === 'acme')!;
    expect(acme).toMatchObject({ connected: true, connection: { state: 'connected' } });
  });

  it("when the tenant's webhook comes in after connecting, then its call reaches its own Gong host with the token, and that token is refused by another company's host", async () => {
    await connect('acme');
    const createsBefore = { acme: acmeGong.ledger.count({ op: 'createCall', status: 200 }), default: defaultGong.ledger.count({ op: 'createCall' }) };
    const { callId, audio, jobId } = await ingest('acme', 'acme-recordings');
    const job = (await queue.queue.getJob(jobId))!;
    const result = await job.waitUntilFinished(queue.events, 30_000);
    expect(acmeGong.ledger.count({ op: 'createCall', status: 200 })).toBe(createsBefore.acme + 1);
    expect(defaultGong.ledger.count({ op: 'createCall' })).toBe(createsBefore.default);
    expect(acmeGong.ledger.byClientUniqueId(callId)?.callId).toBe(result.gongCallId);
    expect(acmeGong.ledger.call(result.gongCallId)?.media?.sha256).toBe(sha256(audio));

    const token = acmeGong.oauth.issued.at(-1)!.accessToken;
    const elsewhere = await got(`${betaGong.url}/users`, { headers: { authorization: `Bearer ${token}` }, throwHttpErrors: false });
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.body).toContain('revoked');
  });

  it('when /start is asked without the admin token, for a tenant that does not use OAuth, or the callback gets a forged state, then it answers with the status and the field', async () => {
    const bare = await got(`${service.url}/oauth/gong/start`, { searchParams: { tenant: 'acme' }, followRedirect: false, throwHttpErrors: false });
    expect(bare.statusCode).toBe(401);
    const basic = await got(`${service.url}/oauth/gong/start`, { searchParams: { tenant: 'beta' }, headers: admin, followRedirect: false, throwHttpErrors: false, responseType: 'json' });
    expect(basic.statusCode).toBe(404);
    expect(basic.body).toMatchObject({ fields: [{ field: 'tenant' }] });
    const none = await got(`${service.url}/oauth/gong/start`, { headers: admin, followRedirect: false, throwHttpErrors: false, responseType: 'json' });
    expect(none.statusCode).toBe(400);
    const start = await got(`${service.url}/oauth/gong/start`, { searchParams: { tenant: 'acme' }, headers: admin, followRedirect: false });
    const state = new URL(start.headers.location!).searchParams.get('state')!;
    const [body, mac] = state.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), tenant: 'beta' })).toString('base64url');
    const forged = await got(redirectUrl, { searchParams: { code: 'any', state: `${forgedBody}.${mac}` }, throwHttpErrors: false, responseType: 'json' });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toMatchObject({ fields: [{ field: 'state' }] });
    const refused = await got(redirectUrl, { searchParams: { error: 'access_denied', state }, throwHttpErrors: false, responseType: 'json' });
    expect(refused.statusCode).toBe(400);
  });

  it('when the callback gets arbitrary query values (fuzzed), then it answers 400 naming a field, never 5xx, and stores nothing', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 300 });
    await fc.assert(
      fc.asyncProperty(fc.record({ code: fc.option(text, { nil: undefined }), state: fc.option(text, { nil: undefined }), error: fc.option(text, { nil: undefined }) }, { requiredKeys: [] }), async (query) => {
        const searchParams = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const answer = await got(redirectUrl, { searchParams, throwHttpErrors: false, responseType: 'json', retry: { limit: 0 } });
        expect(answer.statusCode).toBe(400);
        expect((answer.body as { fields: Array<{ field: string }> }).fields[0]!.field).toMatch(/^(code|state|error)$/);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    );
    const stored = await queue.queue.client.then((c) => c.hgetall(`{${prefix}}:oauth:beta`));
    expect(stored).toEqual({});
  });

  it('when Gong refuses the refresh, then the tenant needs reconnecting (metric and admin API), its job waits instead of failing, and reconnecting lets it finish', async () => {
    await connect('acme');
    // The company disconnects the app: its tokens stop working and no refresh is honoured.
    acmeGong.oauth.revokeRefreshTokens();
    acmeGong.oauth.expireAccessTokens();
    const { jobId, audio } = await ingest('acme', 'acme-recordings');
    await service.waitForLog((l) => l.failureClass === 'tenant_not_connected' && l.jobId === jobId, 30_000);
    const job = (await queue.queue.getJob(jobId))!;
    expect(await job.getState()).toBe('delayed');
    const metrics = await got(`${service.url}/metrics`).text();
    expect(metrics).toMatch(/^gong_ingest_tenant_needs_reconnecting\{tenant="acme"\} 1$/m);
    expect((await tenantsView()).find((t) => t.id === 'acme')).toMatchObject({ connected: false, connection: { state: 'needs-reconnecting', reason: 'invalid_grant' } });

    const { callback } = await connect('acme');
    expect(callback.statusCode).toBe(200);
    // Rather than wait out the minute it looks again after, as an operator's replay would.
    await job.promote();
    const result = await job.waitUntilFinished(queue.events, 30_000);
    expect(acmeGong.ledger.call(result.gongCallId)?.media?.sha256).toBe(sha256(audio));
    expect(await got(`${service.url}/metrics`).text()).toMatch(/^gong_ingest_tenant_needs_reconnecting\{tenant="acme"\} 0$/m);
  });

  describe('the refresh, shared by many worker processes', () => {
    const settings = (): OAuthSettings => ({
      clientId: 'partner-app',
      clientSecret: 'partner-app-secret',
      redirectUrl,
      authorizeUrl: acmeGong.oauth.authorizeUrl,
      tokenUrl: acmeGong.oauth.tokenUrl,
      scopes: 'api:calls:create',
      key: encryptionKey,
    });
    const connections: Redis[] = [];
    afterAll(() => connections.forEach((c) => c.disconnect()));

    /** A code from Gong's authorize page, exchanged for tokens, with an access token that is about to expire. */
    async function connectedTenant(runtime: ReturnType<typeof createOAuthRuntime>, tenant: string) {
      const consent = await got(acmeGong.oauth.authorizeUrl, { searchParams: { client_id: 'partner-app', response_type: 'code', redirect_uri: redirectUrl, state: 'x' }, followRedirect: false });
      const code = new URL(consent.headers.location!).searchParams.get('code')!;
      const grant = await runtime.endpoint.exchangeCode(code, redirectUrl);
      await runtime.store.save(tenant, { ...grant, expiresAt: Date.now() + 5_000 });
      return grant;
    }

    it('when 10 workers in their own processes need a new token at once, then exactly one refresh reaches Gong and all 10 use the token it gave', async () => {
      const runtimes = Array.from({ length: 10 }, () => {
        const redis = new Redis(TEST_REDIS_URL);
        connections.push(redis);
        return createOAuthRuntime(redis, `{${prefix}}`, settings());
      });
      const tenant = `race-${randomBytes(3).toString('hex')}`;
      await connectedTenant(runtimes[0]!, tenant);
      const grantsBefore = acmeGong.oauth.grants.length;
      const credentials = await Promise.all(runtimes.map((r) => r.sessionFor(tenant).credentials()));
      expect(acmeGong.oauth.grants.slice(grantsBefore).map((g) => [g.grantType, g.outcome])).toEqual([['refresh_token', 'issued']]);
      expect(new Set(credentials.map((c) => c.authorization))).toEqual(new Set([`Bearer ${acmeGong.oauth.issued.at(-1)!.accessToken}`]));
      expect(credentials[0]!.baseUrl).toBe(acmeGong.url);
    });

    it('when two processes refresh with the same refresh token without the lock, then Gong refuses one of them (why the lock exists)', async () => {
      const redis = new Redis(TEST_REDIS_URL);
      connections.push(redis);
      const runtime = createOAuthRuntime(redis, `{${prefix}}`, settings());
      const grant = await connectedTenant(runtime, `bare-${randomBytes(3).toString('hex')}`);
      const outcomes = await Promise.allSettled([runtime.endpoint.refresh(grant.refreshToken), runtime.endpoint.refresh(grant.refreshToken)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(OAuthGrantRefusedError);
      expect((refused.reason as OAuthGrantRefusedError).error).toBe('invalid_grant');
    });
  });
});
