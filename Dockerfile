# Wholesail application image. One image, four roles, chosen by command:
#   api      node dist/apps/api/src/main.js              (default)
#   worker   node dist/apps/worker/src/main.js
#   migrate  node dist/libs/persistence/src/cli/migrate.js
#   seed     node dist/libs/persistence/src/cli/seed.js
#
# Plain Dockerfile syntax (no BuildKit-only --mount flags) so it also builds with the classic
# builder that Debian's docker-compose 1.29 drives.

# Node 24 LTS from the official image. The devDependency `node` (Node 26, used for local
# development) must not leak in here: the image runs the base image's node.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV TZ=UTC \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

COPY package.json package-lock.json ./
# --ignore-scripts: nothing needed at runtime or build time has an install script that matters
# (@swc/core and protobufjs only self-check, @scarf/scarf is telemetry; native bindings such as
# @swc/core-linux-x64-gnu and @temporalio/core-bridge ship prebuilt). The one script that does
# something, `node`'s preinstall, would install Node 26 as node_modules/.bin/node, which
# `npm run` puts first on PATH. Skipping it leaves no such link today; the rm makes sure no
# npm version's leftover link shadows the image's node during the build.
RUN npm ci --ignore-scripts \
 && rm -f node_modules/.bin/node

COPY . .
# Produces dist/ and the prebuilt workflow bundle dist/workflow-bundle.js; a bundling error
# fails the build here rather than at worker start.
RUN npm run build \
 && test -f dist/workflow-bundle.js \
 && npm prune --omit=dev --ignore-scripts


FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    TZ=UTC \
    npm_config_update_notifier=false
WORKDIR /app

# Files stay owned by root: the app user can read and run the code but not rewrite it.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# `node` (uid 1000) ships with the official image.
USER node
EXPOSE 3000
# Invoke node directly (not via npm) so SIGTERM reaches the process and the worker can drain.
CMD ["node", "dist/apps/api/src/main.js"]
