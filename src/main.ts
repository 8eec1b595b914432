// First, before anything else is imported: starts the OpenTelemetry SDK when the OTEL_* variables ask for traces.
import { stopTracing, tracingProtocol } from './telemetry/start-tracing.js';
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, type Config } from './config/load-config.js';
import { createLogger } from './logging/logger.js';
import { startService } from './composition/start-service.js';

/**
 * The process around the service: settings from the environment, the logger, then the service itself
 * (composition/start-service.ts builds every client once) and a graceful close on SIGTERM/SIGINT. The only module
 * that touches process signals and exit codes.
 */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel);
  const tracing = tracingProtocol();
  if (tracing) logger.info({ protocol: tracing }, 'tracing on: spans exported over OTLP');
  const service = await startService(config, logger);
  closeWithGrace({ delay: service.shutdownDeadlineMs, logger: false }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an unexpected error');
    logger.info({ signal }, 'shutting down');
    await service.close();
    // Last: the spans of the work that just finished are still buffered in the exporter.
    await stopTracing().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'could not send the last spans'));
    logger.info('shut down cleanly');
  });
}

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

await main();
