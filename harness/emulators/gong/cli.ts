/**
 * `tsx harness/emulators/gong/cli.ts`: the emulator as a process of its own, for the demo and benchmarks in other
 * processes (they drive it through /__emulator/*). Listens on PORT (default 8090) at HOST (default 127.0.0.1) and
 * prints one JSON line, {"url": ".../v2"}, once listening.
 *
 * Environment: GONG_EMULATOR_RATE_PER_SECOND, GONG_EMULATOR_DAILY_LIMIT, GONG_EMULATOR_DAY_LENGTH_MS,
 * GONG_EMULATOR_UPLOAD_BYTES_PER_SECOND, GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET, GONG_BEARER_TOKEN.
 */
import { startGongEmulator, type GongEmulatorOptions } from './create-gong-emulator.js';

function numberFrom(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = text === 'Infinity' ? Infinity : Number(text);
  if (Number.isNaN(value)) throw new Error(`${name} must be a number, got ${text}`);
  return value;
}

function optionsFromEnv(): GongEmulatorOptions {
  const env = process.env;
  const options: GongEmulatorOptions = {
    port: numberFrom('PORT') ?? 8090,
    host: env.HOST || '127.0.0.1',
    ratePerSecond: numberFrom('GONG_EMULATOR_RATE_PER_SECOND'),
    dailyLimit: numberFrom('GONG_EMULATOR_DAILY_LIMIT'),
    dayLengthMs: numberFrom('GONG_EMULATOR_DAY_LENGTH_MS'),
    uploadBytesPerSecond: numberFrom('GONG_EMULATOR_UPLOAD_BYTES_PER_SECOND'),
    accessKey: env.GONG_ACCESS_KEY || undefined,
    accessKeySecret: env.GONG_ACCESS_KEY_SECRET || undefined,
    bearerToken: env.GONG_BEARER_TOKEN || undefined,
  };
  // Unset variables mean "the default", not "undefined overrides the default".
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as GongEmulatorOptions;
}

const emulator = await startGongEmulator(optionsFromEnv());
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);

const stop = (): void => {
  emulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`Gong emulator: close failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
