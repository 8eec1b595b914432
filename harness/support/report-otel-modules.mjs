// Loaded with `node --import` by the tracing test: prints every OpenTelemetry module the process resolves, by
// import or require, so a test can prove that a default install loads none of the SDK.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const match = /node_modules\/(@opentelemetry\/[^/]+)\//.exec(resolved.url ?? '');
    if (match) process.stderr.write(`otel-module-loaded ${match[1]}\n`);
    return resolved;
  },
});
