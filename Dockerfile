# Summit Desk: the bot, compiled as `npm start` runs it, on the official Node.js image.
# Built by deploy/compose.yaml (context: this folder). The articles (seeds/) and data/ are
# volumes, so that articles added on the host are read by /reload without a rebuild.

# The build: every dependency (TypeScript is a development one), then `npm run build` into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
RUN npm run build

FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Production dependencies first, so that a change to the code does not reinstall them. tsx
# stays installed for the npm scripts (npm run deploy-commands, add-article, ...).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data

# The image's unprivileged user; the health server listens on all of the container's
# addresses so that the health check and a scraper on the Compose network reach it.
USER node
ENV HTTP_HOST=0.0.0.0 HTTP_PORT=8080
EXPOSE 8080

# What `npm start` runs once dist/ is built, without npm in between, so that SIGTERM reaches
# the bot.
CMD ["node", "dist/src/main.js"]
