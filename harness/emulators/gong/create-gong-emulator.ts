/**
 * A Gong API emulator: a real HTTP server speaking the parts of Gong's API the service uses (POST /v2/calls,
 * PUT /v2/calls/{id}/media, GET /v2/users) the way the live API behaves (see GONG-FACTS.md), with a ledger of what
 * arrived and faults to inject. Used by the component tests, the demo and the benchmarks.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicHeader } from './auth.js';
import type { EmulatorContext } from './context.js';
import { CONTROL_PREFIX, handleControlRequest } from './control-routes.js';
import { createDownloader } from './download-media.js';
import { createFaults, type GongFaults } from './faults.js';
import { createLedger, type GongLedger } from './ledger.js';
import { patchOptions, resolveOptions, type GongEmulatorOptions } from './options.js';
import { createRateLimiter } from './rate-limit.js';
import { handleGongRequest } from './routes.js';
import { createEmulatedOAuth, OAUTH_AUTHORIZE_PATH, OAUTH_TOKEN_PATH, type EmulatedOAuth } from './oauth.js';

export type { GongEmulatorOptions, EmulatedUser } from './options.js';
export type { GongLedger } from './ledger.js';
export type { GongFaults } from './faults.js';
export type { EmulatedOAuth, TokenGrantRecord } from './oauth.js';
export type { CallRecord, MediaFailure, MediaRecord, Operation, RequestOutcome, RequestRecord, UploadProgress } from './types.js';

/** A running emulator. */
export interface GongEmulator {
  /** The base URL including /v2, e.g. http://127.0.0.1:PORT/v2: what the service takes as its Gong base URL. */
  readonly url: string;
  readonly ledger: GongLedger;
  readonly faults: GongFaults;
  /**
   * 'request' (RequestRecord), 'call-created' (CallRecord), 'upload-progress' (UploadProgress),
   * 'media-stored' (CallRecord), 'media-failed' (MediaFailure: a downloadMediaUrl Gong could not take).
   */
  readonly events: EventEmitter;
  /** Changes limits, throttle, users, credentials at run time (not port or host). Throws naming a bad option. */
  configure(patch: Partial<GongEmulatorOptions>): void;
  /** A valid `Basic ...` Authorization header for the configured access key. */
  authHeader(): string;
  /** Gong's OAuth app flow for this company: its endpoints, the grants so far, and the company's side of it. */
  readonly oauth: EmulatedOAuth & { authorizeUrl: string; tokenUrl: string; clientId: string; clientSecret: string };
  /** Closes the server, destroys open sockets (uploads under way included) and aborts downloads. */
  close(): Promise<void>;
}

/** Starts an emulator; resolves once it listens. Invalid options throw before any socket opens. */
export async function startGongEmulator(options: GongEmulatorOptions = {}): Promise<GongEmulator> {
  const resolved = resolveOptions(options);
  const ledger = createLedger();
  const events = new EventEmitter();
  let origin = '';
  const oauth = createEmulatedOAuth(resolved, () => origin);
  const context: EmulatorContext = {
    options: resolved,
    oauth,
    ledger,
    faults: createFaults(),
    limiter: createRateLimiter(() => resolved),
    events,
    downloads: createDownloader({ ledger, events, maxBytes: () => resolved.maxMediaBytes }),
  };

  // No request timeout: a throttled 1.5 GB upload legitimately takes many minutes.
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    const url = req.url ?? '';
    const handled = url.startsWith(CONTROL_PREFIX)
      ? handleControlRequest(req, res, context)
      : url.startsWith('/oauth2/')
        ? oauth.handle(req, res).then((done) => void (done || res.writeHead(404).end()))
        : handleGongRequest(req, res, context);
    handled.catch((error: unknown) => {
      process.stderr.write(`Gong emulator: unhandled error: ${error instanceof Error ? error.stack : String(error)}\n`);
      res.destroy();
    });
  });
  await listen(server, resolved.port, resolved.host);
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  origin = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/v2`,
    ledger,
    faults: context.faults,
    events,
    configure: (patch) => patchOptions(resolved, patch),
    authHeader: () => basicHeader(resolved),
    oauth: Object.assign(oauth, {
      authorizeUrl: `${origin}${OAUTH_AUTHORIZE_PATH}`,
      tokenUrl: `${origin}${OAUTH_TOKEN_PATH}`,
      get clientId() {
        return resolved.oauthClientId;
      },
      get clientSecret() {
        return resolved.oauthClientSecret;
      },
    }),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([closed, context.downloads.closeAll()]);
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
