import { DEFAULT_GUIDANCE, type GuidanceSettings } from '../../core/okr/guidance.js';
import { DEFAULT_PACE_THRESHOLDS, type PaceThresholds } from '../../core/okr/pace.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { invalid } from './okr-common.js';

/** A workspace's OKR settings: guidance limits (warnings, never blocks), pace thresholds, check-in cadence. */
export interface OkrSettings {
  guidance: GuidanceSettings;
  pace: PaceThresholds;
  /** How often teams check in (7 = weekly, 14 = bi-weekly): a key result not checked in for longer is overdue. */
  checkinCadenceDays: number;
}

export const DEFAULT_OKR_SETTINGS: OkrSettings = { guidance: DEFAULT_GUIDANCE, pace: DEFAULT_PACE_THRESHOLDS, checkinCadenceDays: 7 };

interface SettingsRow {
  objectives_min: number; objectives_max: number; key_results_min: number; key_results_max: number; check_outcome_wording: boolean;
  on_track_gap: string; at_risk_gap: string; checkin_cadence_days: number;
}

export async function getOkrSettings(scope: TenantScope): Promise<OkrSettings> {
  const [row] = await scope.tx.query<SettingsRow>('SELECT * FROM okr_settings WHERE tenant_id = $1', [scope.tenantId]);
  if (!row) return DEFAULT_OKR_SETTINGS;
  return {
    guidance: {
      objectivesPerOwner: { min: row.objectives_min, max: row.objectives_max },
      keyResultsPerObjective: { min: row.key_results_min, max: row.key_results_max },
      checkOutcomeWording: row.check_outcome_wording,
    },
    pace: { onTrackGap: Number(row.on_track_gap), atRiskGap: Number(row.at_risk_gap) },
    checkinCadenceDays: row.checkin_cadence_days,
  };
}

export async function updateOkrSettings(scope: TenantScope, settings: OkrSettings): Promise<OkrSettings> {
  const before = await getOkrSettings(scope);
  const g = settings.guidance;
  if (g.objectivesPerOwner.max < g.objectivesPerOwner.min) throw invalid('body.guidance.objectivesPerOwner.max', 'must not be below min');
  if (g.keyResultsPerObjective.max < g.keyResultsPerObjective.min) throw invalid('body.guidance.keyResultsPerObjective.max', 'must not be below min');
  if (settings.pace.atRiskGap < settings.pace.onTrackGap) throw invalid('body.pace.atRiskGap', 'must not be below onTrackGap');
  await scope.tx.query(
    `INSERT INTO okr_settings (tenant_id, objectives_min, objectives_max, key_results_min, key_results_max, check_outcome_wording, on_track_gap, at_risk_gap, checkin_cadence_days, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
     ON CONFLICT (tenant_id) DO UPDATE SET objectives_min = $2, objectives_max = $3, key_results_min = $4, key_results_max = $5,
       check_outcome_wording = $6, on_track_gap = $7, at_risk_gap = $8, checkin_cadence_days = $9, updated_at = now()`,
    [
      scope.tenantId, g.objectivesPerOwner.min, g.objectivesPerOwner.max, g.keyResultsPerObjective.min, g.keyResultsPerObjective.max, g.checkOutcomeWording,
      settings.pace.onTrackGap, settings.pace.atRiskGap, settings.checkinCadenceDays,
    ],
  );
  const after = await getOkrSettings(scope);
  await recordAudit(scope, { action: 'okr_settings.updated', entityType: 'okr_settings', entityId: scope.tenantId, before, after });
  return after;
}
