#!/usr/bin/env bash
# Lays out what the production image runs, from a built tree (`npm run build`): production
# dependencies of @mycoi/api only (npm ci --omit=dev; no dev tools, no web-app libraries, which
# Vite has already bundled), the compiled service in apps/api/dist, the web apps' dist/, the SQL
# migrations and the Procore app manifest, at the same paths as in the repository (the bundle finds
# them relative to itself). The Dockerfile's build stage and .ci/run both use this script.
#
#   bash scripts/runtime-layout.sh <destination>
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: runtime-layout.sh <destination>}
cd "$repo"
for f in apps/api/dist/main.js apps/console/dist/index.html apps/side-panel/dist/index.html; do
  [ -f "$f" ] || { echo "runtime-layout: $f is missing: run npm run build first" >&2; exit 1; }
done
rm -rf "$dest"
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
cp package.json package-lock.json "$dest/"
# npm ci checks the lock against every workspace's manifest, so all of them come along.
for ws in packages/* apps/*; do
  [ -f "$ws/package.json" ] || continue
  mkdir -p "$dest/$ws"
  cp "$ws/package.json" "$dest/$ws/"
done
(cd "$dest" && npm ci --omit=dev --workspace @mycoi/api --ignore-scripts --no-audit --no-fund --loglevel=error)
cp -R apps/api/dist "$dest/apps/api/dist"
cp -R apps/console/dist "$dest/apps/console/dist"
cp -R apps/side-panel/dist "$dest/apps/side-panel/dist"
cp -R packages/db/migrations "$dest/packages/db/migrations"
mkdir -p "$dest/procore-app"
cp procore-app/manifest.json "$dest/procore-app/"
echo "runtime-layout: $(du -sh "$dest" | cut -f1) in $dest ($(ls "$dest/node_modules" | wc -l) top-level packages)"
