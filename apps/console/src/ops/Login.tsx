import { useState } from 'react';
import { useFormikContext } from 'formik';
import { Button, Form } from '@procore/core-react';
import { OpsLoginBody, OpsSession } from '@mycoi/contracts';
import { api, asFailure, type ApiFailure } from '../api';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Section } from '../ui/Section';

interface Values {
  email: string;
  password: string;
}

function validate(v: Values): Partial<Values> {
  const errors: Partial<Values> = {};
  if (!OpsLoginBody.shape.email.safeParse(v.email.trim()).success) errors.email = 'Enter your myCOI email address';
  if (!v.password) errors.password = 'Enter your password';
  return errors;
}

export function Login({ onLoggedIn }: { onLoggedIn: (s: OpsSession) => void }) {
  const [error, setError] = useState<ApiFailure>();
  return (
    <div style={{ maxWidth: 480, margin: '24px auto' }}>
      <Section id="ops-login" title="myCOI ops sign-in">
        <ErrorNotice
          error={error}
          title={
            error?.code === 'rate_limited'
              ? 'Too many attempts — wait a few minutes and try again'
              : error?.status === 401
                ? 'Wrong email or password'
                : undefined
          }
        />
        <Form<Values>
          initialValues={{ email: '', password: '' }}
          validate={validate}
          onSubmit={async (v) => {
            setError(undefined);
            try {
              onLoggedIn(await api('POST', '/api/ops/login', OpsSession, { email: v.email.trim(), password: v.password }));
            } catch (err) {
              setError(asFailure(err));
            }
          }}
        >
          <LoginFields />
        </Form>
      </Section>
    </div>
  );
}

// Fields read formik state through context: core-react's Form takes plain children, not a render prop.
function LoginFields() {
  const { isSubmitting } = useFormikContext<Values>();
  return (
    <Form.Form>
      <Form.Row>
        <Form.Text name="email" label="Email" type="email" autoComplete="username" required colWidth={12} />
      </Form.Row>
      <Form.Row>
        <Form.Text name="password" label="Password" type="password" autoComplete="current-password" required colWidth={12} />
      </Form.Row>
      <Button type="submit" variant="primary" loading={isSubmitting} disabled={isSubmitting}>
        Log in
      </Button>
    </Form.Form>
  );
}
