import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const minimal = { S3_ALLOWED_BUCKETS: 'recordings', WEBHOOK_SECRET: secret, GONG_ACCESS_KEY: 'k', GONG_ACCESS_KEY_SECRET: 's' };
const traced = { ...minimal, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('OpenTelemetry settings at start-up', () => {
  it('when tracing is configured with the documented values, then the configuration loads', () => {
    expect(problemsOf({ ...traced, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' })).toEqual([]);
    expect(problemsOf({ ...traced, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_SAMPLER: 'always_on' })).toEqual([]);
  });

  it('when a protocol, sampler, ratio or endpoint is mistyped, then every one is named and no value is echoed', () => {
    const problems = problemsOf({
      ...traced,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/proto',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318',
      OTEL_TRACES_SAMPLER: 'ratio',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=very-secret',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_PROTOCOL: must be one of http\/protobuf, http\/json, grpc/),
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http/),
      expect.stringMatching(/^OTEL_TRACES_SAMPLER: must be one of/),
    ]);
    expect(problems.join('\n')).not.toMatch(/http\/proto\b|very-secret|collector:4318/);
    expect(problemsOf({ ...traced, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '10%' })).toEqual([expect.stringMatching(/^OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1/)]);
  });

  it('when tracing is not asked for, then OTEL_* values are not checked (nothing reads them)', () => {
    expect(problemsOf({ ...minimal, OTEL_EXPORTER_OTLP_PROTOCOL: 'nonsense', OTEL_TRACES_SAMPLER: 'nonsense' })).toEqual([]);
  });
});
