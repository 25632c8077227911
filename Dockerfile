# Helmdeck as a container: Next's standalone output (the server and only the files it
# traces) on a slim Node image, run as an unprivileged user. docs/deploy.md explains the
# settings; build with `docker build -t helmdeck .`.

FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so that a source change reuses this layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Standalone output; no Turbopack build cache (nothing in an image build ever reads it again).
RUN HELMDECK_STANDALONE=1 HELMDECK_BUILD_CACHE=0 npx next build

FROM node:20-bookworm-slim
# NODE_OPTIONS: the heap limit of scripts/lib/server-heap.ts (why: there); `docker run -e
# NODE_OPTIONS=--max-old-space-size=…` replaces it.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    HELMDECK_DATA_DIR=/data \
    NODE_OPTIONS=--max-old-space-size=1024
RUN groupadd --system --gid 10001 helmdeck \
 && useradd --system --uid 10001 --gid helmdeck --no-create-home --shell /usr/sbin/nologin helmdeck \
 && mkdir -p /data && chown helmdeck:helmdeck /data
WORKDIR /app
# The standalone folder holds server.js, the traced node_modules (PGlite's wasm and data files
# among them) and drizzle/; the static assets are copied beside it, as Next expects.
COPY --from=build --chown=root:root /src/.next/standalone ./
COPY --from=build --chown=root:root /src/.next/static ./.next/static
USER helmdeck
EXPOSE 3000
VOLUME ["/data"]
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
