FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build:web
ENV NODE_ENV=development
EXPOSE 3000
CMD ["npm", "run", "serve"]
