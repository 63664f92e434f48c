import type { ValidationResult } from '@mycoi/contracts';
import { Pill } from '@procore/core-react';
import { OkPill } from './StatusPill';
import { when } from './format';

/**
 * Each check on its own line with its verdict, what was found, and — when it failed — how to fix
 * it. A warning does not block activation; it turns features off (the gate shows which). A skipped
 * check did not run because an earlier one failed, so it is shown as skipped, not as one more failure.
 */
export function ChecksList({ result, label }: { result: ValidationResult; label: string }) {
  const warnings = result.checks.filter((c) => !c.ok && !c.skipped && c.severity === 'warning').length;
  return (
    <div>
      <div className="console-row">
        <OkPill ok={result.ok} okText={warnings > 0 ? 'Passed with warnings' : 'All checks passed'} failText={failText(result)} />
        <span className="console-hint">Checked {when(result.checkedAt)}</span>
      </div>
      <ul className="console-checks" aria-label={label}>
        {result.checks.map((c) => (
          <li key={c.id} data-check={c.id} data-ok={String(c.ok)} data-severity={c.severity} data-skipped={c.skipped ? 'true' : undefined}>
            <div className="console-row">
              {c.skipped ? (
                <Pill color="gray">Skipped</Pill>
              ) : !c.ok && c.severity === 'warning' ? (
                <Pill color="yellow">Warning</Pill>
              ) : (
                <OkPill ok={c.ok} />
              )}
              <strong>{c.label}</strong>
              <span>{c.detail}</span>
            </div>
            {!c.ok && !c.skipped && c.fixHint && <div className="console-hint">How to fix: {c.fixHint}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function failText(r: ValidationResult): string {
  const failed = r.checks.filter((c) => !c.ok && !c.skipped).length;
  const skipped = r.checks.filter((c) => c.skipped).length;
  return `${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
