import { useState } from 'react';
import { Button, Card, ErrorBanner, Banner, H2, Input, P } from '@procore/core-react';
import { navigate } from '../router';

const OAUTH_ERRORS: Record<string, string> = {
  state_invalid: 'The sign-in took too long or was started in another tab. Please sign in again.',
  oauth_denied: 'Procore did not grant access. Sign in again and choose Allow on Procore’s page.',
  not_member: 'Your Procore user is not a member of this company. Sign in with an admin of this company.',
  procore_unavailable: 'Procore could not be reached to finish the sign-in. Try again in a moment.',
};

export function procoreSignInUrl(companyId: string): string {
  const returnTo = `/console/?companyId=${encodeURIComponent(companyId)}`;
  return `/api/admin/auth/procore?companyId=${encodeURIComponent(companyId)}&returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * The admin signs in with Procore (authorization code flow, handled entirely by the API). The
 * company id normally comes from Procore's post-install link; it can be typed in otherwise.
 */
export function SignIn({ companyId, oauthError, signedIn = false }: { companyId: string; oauthError: string | null; signedIn?: boolean }) {
  const [typed, setTyped] = useState(companyId);
  const [touched, setTouched] = useState(false);
  const id = typed.trim();
  const invalid = !/^\d{1,20}$/.test(id);

  const go = () => {
    setTouched(true);
    if (invalid) return;
    if (signedIn) navigate(`/console/?companyId=${encodeURIComponent(id)}`);
    else window.location.assign(procoreSignInUrl(id));
  };

  return (
    <Card className="console-section" role="region" aria-labelledby="signin-title">
      <H2 id="signin-title">{signedIn ? 'Choose your Procore company' : 'Sign in with Procore'}</H2>
      <P>
        Connect your Procore company to myCOI. Installing the app passes no data: nothing flows until you finish this setup and myCOI
        activates your account.
      </P>
      {oauthError && (
        <ErrorBanner role="alert" style={{ marginBottom: 12 }}>
          <Banner.Content>
            <Banner.Title>Sign-in did not complete</Banner.Title>
            <Banner.Body>{OAUTH_ERRORS[oauthError] ?? `Procore sign-in failed (${oauthError}).`}</Banner.Body>
          </Banner.Content>
        </ErrorBanner>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
      >
        {!companyId && (
          <div className="console-field" style={{ maxWidth: 320, marginBottom: 12 }}>
            <label htmlFor="company-id">Procore company ID</label>
            <Input
              id="company-id"
              inputMode="numeric"
              value={typed}
              aria-invalid={touched && invalid}
              aria-describedby="company-id-error"
              onChange={(e) => setTyped(e.target.value)}
              onBlur={() => setTouched(true)}
            />
            {touched && invalid && (
              <span id="company-id-error" className="console-field-error">
                Enter the numeric company ID shown in Procore’s URL (e.g. 1001).
              </span>
            )}
          </div>
        )}
        {companyId && !signedIn && <P>Procore company ID: {companyId}</P>}
        <Button type="submit" variant="primary">
          {signedIn ? 'Continue' : 'Sign in with Procore'}
        </Button>
      </form>
    </Card>
  );
}
