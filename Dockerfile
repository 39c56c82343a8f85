# The app image: one image, two roles (worker or API), chosen by the command.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# `npm install` rather than `npm ci`: see scripts/setup.sh.
RUN npm install --no-save --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
USER node
EXPOSE 7777
# API by default; the worker service runs src/entrypoints/worker.ts.
CMD ["node", "src/entrypoints/server.ts"]
