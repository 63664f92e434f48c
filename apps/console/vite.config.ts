import { webAppConfig } from '../../vite.shared.ts';

// The API serves dist/ at /console/ (apps/api/src/routes/static.ts), so every asset URL carries that base.
// Lazy chunks for Table/Form: see src/lazy.ts.
export default webAppConfig({ base: '/console/', proxy: ['/api', '/auth'] });
