# syntax=docker/dockerfile:1
# Production image of myCOI for Procore on Node 24 LTS.
#   build    full dependencies; the web apps (Vite) and the service (esbuild) compiled to JavaScript;
#            scripts/runtime-layout.sh lays out the runtime tree with production dependencies only
#   runtime  slim Debian + Node 24, that tree, a non-root user; `node apps/api/dist/main.js`
# .ci/run runs the same layout script and start command against PostgreSQL 15 (Docker is not on the
# CI machines), so this file and CI cannot drift apart.

FROM node:24-bookworm-slim AS build
WORKDIR /src
# Manifests first: the dependency layer is reused until package-lock.json or a manifest changes.
COPY package.json package-lock.json ./
COPY packages/config/package.json packages/config/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY packages/http/package.json packages/http/
COPY packages/mycoi/package.json packages/mycoi/
COPY packages/mycoi-sandbox/package.json packages/mycoi-sandbox/
COPY packages/procore/package.json packages/procore/
COPY packages/procore-sandbox/package.json packages/procore-sandbox/
COPY packages/sync/package.json packages/sync/
COPY apps/api/package.json apps/api/
COPY apps/console/package.json apps/console/
COPY apps/side-panel/package.json apps/side-panel/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && bash scripts/runtime-layout.sh /runtime

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root and read-only to the service: it writes nothing to its own tree.
COPY --from=build /runtime /app
USER node
EXPOSE 3000
# /readyz is 200 once the database answers and every migration is applied. No curl in the slim
# image: Node's own fetch does the probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.js stops the scheduler, HTTP and the pool on SIGTERM and exits 0; it gives itself 25 s, under
# Kubernetes' 30 s default and docker-compose.yml's stop_grace_period. Exec form: node is PID 1 and
# receives the signal itself (no npm or shell in between).
STOPSIGNAL SIGTERM
CMD ["node", "apps/api/dist/main.js"]
