import type { TenantView } from '@mycoi/contracts';

/** What every setup step receives; its own module so the steps and SetupSteps need not import each other. */
export interface StepProps {
  companyId: string;
  tenant: TenantView;
  onChange: (t: TenantView) => void;
}
