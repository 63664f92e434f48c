import type { ValidationResult } from '@mycoi/contracts';
import { Pill } from '@procore/core-react';
import { OkPill } from './StatusPill';
import { when } from './format';

/** Each check on its own line (a warning does not block activation, it turns features off) with its verdict, what was found, and — when it failed — how to fix it. */
export function ChecksList({ result, label }: { result: ValidationResult; label: string }) {
  const warnings = result.checks.filter((c) => !c.ok && c.severity === 'warning').length;
  return (
    <div>
      <div className="console-row">
        <OkPill ok={result.ok} okText={warnings > 0 ? 'Passed with warnings' : 'All checks passed'} failText="Some checks failed" />
        <span className="console-hint">Checked {when(result.checkedAt)}</span>
      </div>
      <ul className="console-checks" aria-label={label}>
        {result.checks.map((c) => (
          <li key={c.id} data-check={c.id} data-ok={String(c.ok)} data-severity={c.severity}>
            <div className="console-row">
              {!c.ok && c.severity === 'warning' ? <Pill color="yellow">Warning</Pill> : <OkPill ok={c.ok} />}
              <strong>{c.label}</strong>
              <span>{c.detail}</span>
            </div>
            {!c.ok && c.fixHint && <div className="console-hint">How to fix: {c.fixHint}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}
