import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * The production build of the service: one esbuild pass bundles the API, its command-line tools and
 * the two sandboxes (for the container's demo profile) into plain ESM JavaScript in apps/api/dist/.
 * Our own packages (@mycoi/*) are bundled because they export TypeScript sources; every npm package
 * stays external and is loaded from node_modules at run time (production dependencies only).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUTDIR = path.join(root, 'apps/api/dist');

const entryPoints = {
  main: 'apps/api/src/main.ts',
  'create-ops-user': 'apps/api/src/cli/create-ops-user.ts',
  'disable-ops-user': 'apps/api/src/cli/disable-ops-user.ts',
  'rotate-keys': 'apps/api/src/cli/rotate-keys.ts',
  'procore-sandbox': 'packages/procore-sandbox/src/cli.ts',
  'mycoi-sandbox': 'packages/mycoi-sandbox/src/cli.ts',
};

/** Bare imports other than our workspaces resolve from node_modules at run time. */
const externalNpm: Plugin = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@mycoi/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Sources find files of the repository relative to themselves (SQL migrations next to
 * packages/db/src, the web apps' dist/, procore-app/manifest.json). In the bundle every module
 * lives in apps/api/dist/, so each module's `import.meta.url` is rewritten to the URL its source
 * file would have, computed from the bundle's own location: the compiled service then finds
 * those files in the same repository layout, wherever the tree is installed (no absolute paths).
 */
const sourceUrls = (outdir: string): Plugin => ({
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      // dirname/filename would silently name apps/api/dist/ in the bundle: refuse them outright.
      if (/import\.meta\.(dirname|filename)/.test(text) && !args.path.includes(`${path.sep}test${path.sep}`)) {
        return { errors: [{ text: 'use import.meta.url (rewritten for the bundle), not import.meta.dirname/filename' }] };
      }
      if (!text.includes('import.meta.url')) return undefined;
      const rel = path.relative(outdir, args.path).split(path.sep).join('/');
      const contents = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
});

/**
 * Builds into `outdir` (emptied first). It must sit inside the repository, like apps/api/dist: npm
 * packages resolve from the node_modules above it. Returns the JavaScript files written.
 */
export async function buildServer(outdir = DEFAULT_OUTDIR): Promise<string[]> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // flat output: every chunk sits in outdir, which the import.meta.url rewrite relies on
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [externalNpm, sourceUrls(outdir)],
  });
  return Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const files = await buildServer();
  console.log(`build-server: ${files.length} files in ${path.relative(root, DEFAULT_OUTDIR)}/ (${Date.now() - started} ms)`);
}
