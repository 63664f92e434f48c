import { webAppConfig } from '../../vite.shared.ts';

// The API serves dist/ at /panel/ (apps/api/src/routes/static.ts). Two pages: the panel itself and
// the Procore sign-in popup's callback page (same origin, so notifySuccess reaches the iframe).
// Lazy chunks for Form/Table: see src/record/LinkRow.tsx.
export default webAppConfig({
  base: '/panel/',
  proxy: ['/api'],
  build: { rollupOptions: { input: { index: 'index.html', callback: 'callback.html' } } },
});
