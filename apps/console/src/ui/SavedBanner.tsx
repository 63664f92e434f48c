import { Banner, SuccessBanner } from '@procore/core-react';

/** What a form shows once the API accepted it; role="status" so a screen reader announces it. */
export function SavedBanner({ title }: { title: string }) {
  return (
    <SuccessBanner role="status" style={{ marginBottom: 12 }}>
      <Banner.Content>
        <Banner.Title>{title}</Banner.Title>
      </Banner.Content>
    </SuccessBanner>
  );
}
