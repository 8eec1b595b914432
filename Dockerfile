# syntax=docker/dockerfile:1.7
# gong-ingest: one image for every ROLE (api, worker, all).
#   docker build -t gong-ingest .                      the runtime image (default target)
#   docker build --target dev -t gong-ingest-dev .     build stage + harness/ (Gong emulator, s3rver) for docker compose
# No Docker engine in CI: tools/deploy/verify-image-contents.ts replays the build and runtime stages of this file in
# a clean copy and starts the result, so keep RUN steps to npm commands there (system packages go in `runtime`).

# Node 24 LTS, pinned to the exact release in .nvmrc (CI and the tests run on the same one; a test keeps them equal).
# Pin by digest too (node:24.21.0-bookworm-slim@sha256:…) where the registry policy asks for it.
# bookworm-slim rather than alpine: glibc, like the machines the tests run on, so prebuilt native addons
# (msgpackr-extract, used by BullMQ) are the same ones the tests exercised.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Laptop tooling only (docker compose): the Gong emulator and s3rver, run from TypeScript with dev dependencies.
FROM build AS dev
COPY harness ./harness
USER node
ENV PORT=8090
EXPOSE 8090
CMD ["node", "--import", "tsx", "harness/emulators/gong/cli.ts"]

# Production dependencies only: dev dependencies (typescript, jest, the kubectl layer…) never reach the runtime.
FROM build AS prod-deps
RUN npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# tini from Debian as PID 1: forwards SIGTERM to node (which shuts down gracefully itself) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 gong \
 && useradd --system --uid 10001 --gid gong --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin gong \
 && printf '#!/bin/sh\nexec node /app/dist/cli/main.js "$@"\n' > /usr/local/bin/gong-ingest \
 && chmod 0755 /usr/local/bin/gong-ingest
WORKDIR /app
ENV NODE_ENV=production PORT=8080 ROLE=all
# Owned by root and not writable by the app user: with a read-only root filesystem nothing under /app changes anyway.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Numeric, so Kubernetes can check runAsNonRoot without a passwd lookup.
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
