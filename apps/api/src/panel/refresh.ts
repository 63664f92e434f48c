import { FEATURE_OFF_MESSAGES, type FeatureOffReason } from '@mycoi/contracts';
import type { SyncService } from '@mycoi/jobs';
import { HttpError } from '../http/errors';
import type { RefreshPort } from './ports';
import { MissingCredentialsError } from '../clients/tenant-clients';

/**
 * The side panel's "refresh now": a targeted push of that one vendor or assignment, in the request,
 * through the same engine, ledger and per-tenant exclusivity as the cycle. When a run for the tenant
 * is already going, the push is queued instead and the panel says so.
 */
export function syncRefreshPort(sync: SyncService): RefreshPort {
  return {
    async refresh(tenantId, target) {
      const outcome = await sync.pushTargeted(
        target.kind === 'vendor' ? { tenantId, vendorId: target.mycoiId } : { tenantId, assignmentId: target.mycoiId },
      );
      if (!outcome) return { pushed: null, queued: true };
      // the gate said no (push off, settings invalid, …): say why, in its words
      const why = outcome.stopReason as FeatureOffReason | null;
      if (why && why !== 'not_active' && why in FEATURE_OFF_MESSAGES) {
        throw new HttpError(
          409,
          why === 'compliance_push_off' || why === 'settings_invalid' ? why : 'feature_off',
          FEATURE_OFF_MESSAGES[why],
        );
      }
      if (outcome.status === 'failed') {
        if (outcome.error instanceof MissingCredentialsError) {
          throw new HttpError(
            409,
            'push_not_configured',
            'Compliance push into Procore is not set up for this company yet; myCOI ops can finish it in the console',
          );
        }
        const reason = outcome.ctx?.errors[0]?.message ?? outcome.stopReason ?? 'unknown error';
        throw new HttpError(
          502,
          'push_failed',
          `The push to Procore failed: ${reason.slice(0, 200)}. It will be retried by the next cycle.`,
        );
      }
      const c = outcome.ctx?.counts;
      // "rows changed" as the panel says it: rows already right in Procore are not counted
      return { pushed: c ? c.created + c.updated + c.deleted : 0, queued: outcome.status === 'stopped' };
    },
  };
}
