/**
 * The OpenTelemetry SDK reads its OTEL_* variables itself, and on a value it does not know it logs a diagnostic and
 * falls back (another protocol, another sampler): traces then silently go nowhere or are all dropped. The values
 * the service documents are checked here with the other settings, so a typo stops the process (exit 78) instead.
 * Only when tracing is asked for; values are never echoed (OTEL_EXPORTER_OTLP_HEADERS carries API keys).
 */
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'];
const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];
const RATIO_SAMPLERS = ['traceidratio', 'parentbased_traceidratio'];

export function otelProblems(env: Readonly<Record<string, string | undefined>>, tracing: boolean): Array<{ path: string; message: string }> {
  if (!tracing) return [];
  const problems: Array<{ path: string; message: string }> = [];
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) {
    const value = env[name]?.trim();
    if (value && !PROTOCOLS.includes(value)) problems.push({ path: name, message: `must be one of ${PROTOCOLS.join(', ')}` });
  }
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    const value = env[name]?.trim();
    if (value && !/^https?:\/\/[^\s/]/.test(value)) problems.push({ path: name, message: 'must be an http:// or https:// URL' });
  }
  const sampler = env.OTEL_TRACES_SAMPLER?.trim();
  if (sampler && !SAMPLERS.includes(sampler)) problems.push({ path: 'OTEL_TRACES_SAMPLER', message: `must be one of ${SAMPLERS.join(', ')}` });
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (arg && sampler && RATIO_SAMPLERS.includes(sampler) && !(Number(arg) >= 0 && Number(arg) <= 1)) {
    problems.push({ path: 'OTEL_TRACES_SAMPLER_ARG', message: 'must be a ratio from 0 to 1' });
  }
  return problems;
}
