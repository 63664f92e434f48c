import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * What the console and the side panel build the same way. Each app's vite.config.ts passes only
 * what differs: its `base` (the path apps/api/src/routes/static.ts serves its dist/ at), the dev
 * proxy paths, and any extra build options (e.g. more HTML pages).
 */
export function webAppConfig(opts: { base: string; proxy: string[]; build?: UserConfig['build'] }) {
  return defineConfig({
    base: opts.base,
    plugins: [react()],
    // @procore/core-react reads process.env.TZ_LOG at module load; without this the dev server page
    // stays blank with "process is not defined" (core-react expects a bundler that defines it).
    define: { 'process.env.TZ_LOG': JSON.stringify('') },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // core-react's Table and Form each pull ~2 MB of react-aria/react-stately; both apps load them
      // in lazy chunks, so the first paint only loads the shell.
      chunkSizeWarningLimit: 1600,
      ...opts.build,
    },
    server: { proxy: Object.fromEntries(opts.proxy.map((p) => [p, 'http://localhost:3000'])) },
  });
}
