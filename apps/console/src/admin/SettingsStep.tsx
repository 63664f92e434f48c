import { useState } from 'react';
import { useFormikContext } from 'formik';
import { Button, Form } from '@procore/core-react';
import { TenantSettings, TenantView, type ComplianceLevel, type UpdateSettingsBody } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SavedBanner } from '../ui/SavedBanner';
import { Section } from '../ui/Section';
import { CheckboxRow, OptionRadios } from './fields';
import {
  byId,
  COMMITMENT_STATUSES,
  FEATURE_OPTIONS,
  featureChoice,
  featuresOf,
  LEVEL_OPTIONS,
  type FeatureChoice,
  type Option,
} from './options';
import type { StepProps } from './step-props';

interface Status {
  id: string;
  label: string;
}
interface Values {
  features: Option<FeatureChoice> | null;
  complianceLevel: Option<ComplianceLevel> | null;
  procoreExpiryEmails: boolean;
  commitmentComplianceStatus: boolean;
  addVendorsToProjectDirectory: boolean;
  approvedStatuses: Status[];
  digestRecipients: string;
}

const STATUS_OPTIONS: Status[] = COMMITMENT_STATUSES.map((s) => ({ id: s, label: s }));

export function splitRecipients(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function validate(v: Values): Partial<Record<keyof Values, string>> {
  const errors: Partial<Record<keyof Values, string>> = {};
  if (!v.features) errors.features = 'Choose what the integration should do';
  if (v.features && v.features.id !== 'panel' && !v.complianceLevel) errors.complianceLevel = 'Choose where compliance is written';
  if (v.approvedStatuses.length === 0) errors.approvedStatuses = 'Pick at least one status that counts as approved';
  const bad = splitRecipients(v.digestRecipients).filter((r) => !TenantSettings.shape.digestRecipients.element.safeParse(r).success);
  if (bad.length) errors.digestRecipients = `Not an email address: ${bad.join(', ')}`;
  else if (splitRecipients(v.digestRecipients).length > 20) errors.digestRecipients = 'At most 20 recipients';
  return errors;
}

export function SettingsForm({
  companyId,
  tenant,
  onChange,
  submitLabel = 'Save features and settings',
}: StepProps & { submitLabel?: string }) {
  const [error, setError] = useState<ApiFailure>();
  const [saved, setSaved] = useState(false);
  const s = tenant.settings;
  const initial: Values = {
    features: byId(FEATURE_OPTIONS, featureChoice(tenant.features)),
    complianceLevel: byId(LEVEL_OPTIONS, tenant.complianceLevel),
    procoreExpiryEmails: s.procoreExpiryEmails,
    commitmentComplianceStatus: s.commitmentComplianceStatus,
    addVendorsToProjectDirectory: s.addVendorsToProjectDirectory,
    approvedStatuses: STATUS_OPTIONS.filter((o) => s.approvedStatuses.includes(o.id)),
    digestRecipients: s.digestRecipients.join(', '),
  };
  return (
    <>
      <ErrorNotice error={error} title="The settings were not saved" />
      {saved && <SavedBanner title="Settings saved." />}
      <Form<Values>
        initialValues={initial}
        enableReinitialize
        validate={validate}
        onSubmit={async (v) => {
          setError(undefined);
          setSaved(false);
          const body: UpdateSettingsBody = {
            features: featuresOf(v.features!.id),
            ...(v.complianceLevel ? { complianceLevel: v.complianceLevel.id } : {}),
            settings: {
              procoreExpiryEmails: v.procoreExpiryEmails,
              commitmentComplianceStatus: v.commitmentComplianceStatus,
              addVendorsToProjectDirectory: v.addVendorsToProjectDirectory,
              approvedStatuses: v.approvedStatuses.map((o) => o.id),
              digestRecipients: splitRecipients(v.digestRecipients),
            },
          };
          try {
            onChange(await api('PUT', `/api/admin/companies/${encodeURIComponent(companyId)}/settings`, TenantView, body));
            setSaved(true);
          } catch (err) {
            setError(asFailure(err));
          }
        }}
      >
        <SettingsFields submitLabel={submitLabel} />
      </Form>
    </>
  );
}

export function SettingsStep(props: StepProps) {
  return (
    <Section id="settings" title="3. Features and settings">
      <SettingsForm {...props} />
    </Section>
  );
}

// Fields read formik state through context: core-react's Form takes plain children, not a render prop.
function SettingsFields(props: { submitLabel: string }) {
  const { submitLabel } = props;
  const { values, isSubmitting } = useFormikContext<Values>();
  return (
    <Form.Form>
      <OptionRadios name="features" label="Features" options={FEATURE_OPTIONS} required />
      {values.features?.id !== 'panel' && <OptionRadios name="complianceLevel" label="Compliance level" options={LEVEL_OPTIONS} required />}
      <Form.Row>
        <Form.Checkboxes
          name="approvedStatuses"
          label="Commitment statuses that count as approved"
          options={STATUS_OPTIONS}
          getId={(o: Status) => o.id}
          getLabel={(o: Status) => o.label}
          required
          colWidth={12}
        />
      </Form.Row>
      <CheckboxRow
        name="procoreExpiryEmails"
        label="Procore expiry emails"
        inlineLabel="Keep Procore’s own expiry emails on for the insurance records myCOI writes"
      />
      <CheckboxRow
        name="commitmentComplianceStatus"
        label="Commitment status"
        inlineLabel="Also write the insurance compliance status on each commitment"
      />
      <CheckboxRow
        name="addVendorsToProjectDirectory"
        label="Project Directory"
        inlineLabel="Add synced vendors to the Project Directory when missing there"
      />
      <Form.Row>
        <Form.TextArea
          name="digestRecipients"
          label="Digest recipients"
          description="Who gets the email of Procore projects and commitments not yet in myCOI. Separate addresses with commas."
          colWidth={12}
        />
      </Form.Row>
      <Button type="submit" variant="primary" loading={isSubmitting} disabled={isSubmitting}>
        {submitLabel}
      </Button>
    </Form.Form>
  );
}
