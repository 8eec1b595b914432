import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startService as runService } from '../../src/composition/start-service.js';
import { createLogCollector, type ServiceHandle } from './service-logs.js';

/**
 * Environment the AWS SDK reads for itself (the service's own settings never carry credentials). In-process they
 * have to be the test process's environment; every test that sets them sets s3rver's, so one value serves all.
 */
const PROCESS_ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;

/**
 * Runs the service in the test's own process: the same composition root as src/main.ts (start-service.ts) on
 * port 0, with real Redis, s3rver and the emulator over HTTP, and its log lines collected as a process's would
 * be. Starts in a fraction of a process's time. Use startService (service-process.ts) where a process must die,
 * exit with a code, or start OpenTelemetry (the SDK is process-wide).
 */
export async function startInProcess(env: Record<string, string>): Promise<ServiceHandle> {
  const settings: Record<string, string> = { LOG_LEVEL: 'debug', AWS_REGION: 'us-east-1', ...env, PORT: env.PORT ?? '0' };
  for (const key of PROCESS_ENV_KEYS) if (settings[key] !== undefined) process.env[key] = settings[key];
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const collector = createLogCollector(stopped);
  const config = loadConfig(settings);
  const logger = createLogger(config.logLevel, { write: (chunk: string) => chunk.split('\n').filter(Boolean).forEach(collector.line) });
  const service = await runService(config, logger);
  let closing: Promise<number | null> | undefined;
  return {
    ...collector.collected,
    url: `http://127.0.0.1:${service.port}`,
    port: service.port,
    stop(signal = 'SIGTERM') {
      if (signal === 'SIGKILL') throw new Error('an in-process service cannot be killed: start it with startService (service-process.ts)');
      closing ??= (async () => {
        logger.info({ signal }, 'shutting down');
        await service.close();
        logger.info('shut down cleanly');
        markStopped();
        return 0;
      })();
      return closing;
    },
  };
}
