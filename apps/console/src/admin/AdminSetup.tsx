import { Button, Spinner } from '@procore/core-react';
import { AdminCompanyView, type AdminSession, type TenantView } from '@mycoi/contracts';
import { api, ApiFailure } from '../api';
import { useResource } from '../useResource';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Register } from './Register';
import { SetupSteps } from './SetupSteps';
import { StatusView } from './StatusView';
import { procoreSignInUrl } from './SignIn';

/** Lazy chunk: everything after sign-in for one company. */
export default function AdminSetup({ companyId, session }: { companyId: string; session: AdminSession; oauthError: string | null }) {
  const path = `/api/admin/companies/${encodeURIComponent(companyId)}`;
  const view = useResource(path, () => api('GET', path, AdminCompanyView));

  if (!session.companyIds.includes(companyId)) {
    return (
      <div>
        <ErrorNotice error={new ApiFailure(403, 'forbidden', `Your Procore sign-in was verified for another company, not ${companyId}.`)} />
        <Button variant="primary" onClick={() => window.location.assign(procoreSignInUrl(companyId))}>
          Sign in with Procore for company {companyId}
        </Button>
      </div>
    );
  }
  if (!view.data) {
    return view.error ? <ErrorNotice error={view.error} /> : <Spinner label="Loading your company…" loading centered />;
  }
  const data = view.data;
  const setTenant = (tenant: TenantView) => view.set({ ...data, tenant });
  if (!data.tenant) {
    return <Register companyId={companyId} company={data.company} serviceEnvironment={data.serviceEnvironment} onRegistered={setTenant} />;
  }
  if (data.tenant.status === 'registered') {
    return (
      <SetupSteps
        companyId={companyId}
        company={data.company}
        tenant={data.tenant}
        sharedAppAvailable={data.sharedAppAvailable}
        onChange={setTenant}
      />
    );
  }
  return <StatusView companyId={companyId} company={data.company} tenant={data.tenant} onRefresh={view.reload} refreshing={view.loading} />;
}
