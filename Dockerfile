# Summit Desk: the bot, as `npm start` runs it, on the official Node.js image.
# Built by deploy/compose.yaml (context: this folder). The articles (seeds/) and data/ are
# volumes, so that articles added on the host are read by /reload without a rebuild.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so that a change to the code does not reinstall them. tsx runs the
# TypeScript sources, and it is a production dependency: no build step.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
RUN mkdir -p /app/data && chown node:node /app/data

# The image's unprivileged user; the health server listens on all of the container's
# addresses so that the health check and a scraper on the Compose network reach it.
USER node
ENV HTTP_HOST=0.0.0.0 HTTP_PORT=8080
EXPOSE 8080

# What `npm start` runs, without npm in between, so that SIGTERM reaches the bot.
CMD ["node", "--import", "tsx", "src/main.ts"]
