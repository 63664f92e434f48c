import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API serves dist/ at /console/ (apps/api/src/routes/static.ts), so every asset URL carries that base.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // @procore/core-react reads process.env.TZ_LOG at module load; without this the dev server page
  // stays blank with "process is not defined" (research/stack.md, Gotchas 3).
  define: { 'process.env.TZ_LOG': JSON.stringify('') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // core-react's Table and Form each pull ~2 MB of react-aria/react-stately; they live in lazy
    // chunks (see src/lazy.ts), so the first paint only loads the shell.
    chunkSizeWarningLimit: 1600,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/auth': 'http://localhost:3000' } },
});
