import { tracingRequested } from '../../src/telemetry/tracing-wanted.js';

describe('whether to start the OpenTelemetry SDK', () => {
  it('when no OTEL_* variable is set, then tracing stays off', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'gong-ingest', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBe(false);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }],
    [{ OTEL_TRACES_EXPORTER: 'zipkin,otlp' }],
  ])('when %j is set, then tracing starts', (env) => {
    expect(tracingRequested(env)).toBe(true);
  });

  it('when the exporter is none or the SDK is disabled, then tracing stays off even with an endpoint', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' })).toBe(false);
  });

  it('when an endpoint is set but blank, then tracing stays off', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false);
  });
});
