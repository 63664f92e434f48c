import { lazy, Suspense } from 'react';
import { I18nProvider, Spinner } from '@procore/core-react';
import { useLocation } from './router';
import { AdminApp } from './admin/AdminApp';

// The ops console needs Table and Form (react-aria, ~2 MB): customers never download it.
const OpsApp = lazy(() => import('./ops/OpsApp'));

export function App() {
  const { path } = useLocation();
  const ops = path === '/console/ops' || path.startsWith('/console/ops/');
  return (
    <I18nProvider locale="en">
      <Suspense fallback={<Spinner label="Loading…" loading centered />}>{ops ? <OpsApp /> : <AdminApp />}</Suspense>
    </I18nProvider>
  );
}
