# The bot as a container, for Azure Container Apps (docs/deploy.md): several replicas on one
# Azure Table store. Build: docker build -t entra-group-requests .
# Every setting comes from the environment (env/.env.dev.sample lists them); secrets as secrets.

# Production dependencies, built where compilers exist (better-sqlite3 is native), on the same
# Debian release as the runtime image so the native module fits it.
FROM node:20-bookworm AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

# The compiled bot: the TypeScript build needs the devDependencies.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    STORE=azureTables
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
COPY adaptiveCards ./adaptiveCards
# The image's own unprivileged user; the bot writes nothing to disk with the table store.
USER node
EXPOSE 8080
# The process answers; Container Apps' readiness probe should use /readyz (the store answers too).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/index.js"]
