import { createRequire } from 'node:module';
import { tracingRequested } from './tracing-wanted.js';

/**
 * Imported first by main.ts, before anything else runs: when the OTEL_* variables ask for traces, the
 * OpenTelemetry Node SDK is loaded and started here, synchronously (require, not import(): an ES module with a
 * top-level await would not hold back the modules main.ts imports after it). Otherwise nothing of the SDK is
 * loaded; the spans the service opens go to @opentelemetry/api's no-op tracer.
 *
 * The SDK reads its variables itself (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_*,
 * OTEL_TRACES_SAMPLER…), exactly as OpenTelemetry documents them; this is the one place besides load-config that
 * looks at process.env, because it has to run before the configuration is loaded. Only traces are exported:
 * metrics stay Prometheus (/metrics) and logs stay JSON on stdout.
 */

interface RunningSdk {
  shutdown(): Promise<void>;
}

let sdk: RunningSdk | undefined;
let protocol: string | undefined;

if (tracingRequested(process.env)) {
  const require = createRequire(import.meta.url);
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const started = new NodeSDK({
    // No auto-instrumentation: the service opens its own spans at the few places that matter (webhook, queue,
    // job, user look-up, recording, Gong requests). Empty lists, not undefined: the SDK would otherwise set up
    // OTLP metrics and logs from the environment as well.
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  started.start();
  sdk = started;
  // What the SDK chose, for the start-up log line: the traces-only variable wins; http/protobuf is the default.
  protocol = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() || process.env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() || 'http/protobuf';
}

/** True when this process exports traces. */
export function tracingEnabled(): boolean {
  return sdk !== undefined;
}

/** The transport in use, for the start-up log line (the SDK's default is http/protobuf). */
export function tracingProtocol(): string | undefined {
  return protocol;
}

/** Sends the spans still buffered and stops the exporter; called last at shutdown. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
