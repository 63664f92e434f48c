import { StatusPill } from '../ui/StatusPill';
import { CredentialsStep } from './CredentialsStep';
import { ValidateStep } from './ValidateStep';
import { SettingsStep } from './SettingsStep';
import { ActivationStep } from './ActivationStep';
import type { StepProps } from './step-props';

/** The four setup steps on one page, in order; each saves on its own. */
export function SetupSteps(props: StepProps & { company: { id: string; name: string }; sharedAppAvailable: boolean }) {
  const { company, tenant } = props;
  return (
    <div>
      <div className="console-row" style={{ marginBottom: 12 }}>
        <h1 style={{ margin: 0, fontSize: 22 }}>{company.name}</h1>
        <StatusPill status={tenant.status} />
        <span className="console-hint">Procore company {company.id}</span>
      </div>
      <CredentialsStep {...props} />
      <ValidateStep {...props} />
      <SettingsStep {...props} />
      <ActivationStep {...props} />
    </div>
  );
}
