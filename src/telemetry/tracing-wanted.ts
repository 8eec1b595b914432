/**
 * Whether the process should export traces, decided from OpenTelemetry's own variables as OpenTelemetry documents
 * them: an OTLP endpoint (all signals or traces only), or a traces exporter named explicitly. Nothing set means
 * nothing loaded: a default install pays no start-up time, memory or per-request cost for tracing.
 */
export function tracingRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (exporters.includes('none')) return false;
  if (exporters.length > 0) return true;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}
