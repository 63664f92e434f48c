import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API serves dist/ at /panel/ (apps/api/src/routes/static.ts). Two pages: the panel itself and
// the Procore sign-in popup's callback page (same origin, so notifySuccess reaches the iframe).
export default defineConfig({
  base: '/panel/',
  plugins: [react()],
  // @procore/core-react reads process.env.TZ_LOG at module load (research/stack.md, Gotchas 3).
  define: { 'process.env.TZ_LOG': JSON.stringify('') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Form and Table are lazy chunks (src/record/LinkRow.tsx); the first load stays small.
    chunkSizeWarningLimit: 1600,
    rollupOptions: { input: { index: 'index.html', callback: 'callback.html' } },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
