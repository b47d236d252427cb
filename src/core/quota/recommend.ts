/**
 * Quota recommendation: a realistic quota is the forecast plus a stretch,
 * `recommended = forecast × (1 + stretch)`, rounded half away from zero to the minor unit
 * (computed exactly on integers). Against the current quota, the gap shows how far the
 * quota is above (positive) or below the forecast.
 */
import { formatRational, parseScaled, rational } from '../metrics/rational.js';
import { assertMinor } from './largest-remainder.js';

const STRETCH_SCALE = 6;

export interface QuotaRecommendationInput {
  /** Team, rep or territory id. */
  id: string;
  forecastMinor: number;
  /** The quota in force, if any. */
  quotaMinor?: number | null;
  /** Overrides the default stretch for this id, e.g. '0.05'. */
  stretchRate?: string;
}

export interface QuotaRecommendation {
  id: string;
  forecastMinor: number;
  stretchRate: string;
  recommendedMinor: number;
  quotaMinor: number | null;
  /** quota − forecast (null without a quota). */
  gapMinor: number | null;
  /** quota ÷ forecast − 1 as a decimal string ('0.15' = 15 % above forecast); null without a quota or with a zero forecast. */
  gapRate: string | null;
}

export interface RecommendQuotasIssue {
  code: 'bad_rate' | 'bad_amount';
  path: string;
  message: string;
}

function roundHalfAway(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return negative ? -q : q;
}

/**
 * @example recommendQuotas({ stretchRate: '0.1', items: [{ id: 'dach', forecastMinor: 1_000_000_00, quotaMinor: 1_200_000_00 }] })
 *   // [{ id: 'dach', recommendedMinor: 1_100_000_00, gapMinor: 200_000_00, gapRate: '0.2', … }]
 */
export function recommendQuotas(input: { stretchRate: string; items: readonly QuotaRecommendationInput[] }): { ok: true; recommendations: QuotaRecommendation[] } | { ok: false; issues: RecommendQuotasIssue[] } {
  const issues: RecommendQuotasIssue[] = [];
  const rate = (text: string, path: string): bigint | null => {
    const scaled = parseScaled(text, STRETCH_SCALE);
    if (scaled === null || scaled <= -(10n ** BigInt(STRETCH_SCALE))) {
      issues.push({ code: 'bad_rate', path, message: `a stretch is a decimal above −1 with at most ${STRETCH_SCALE} decimals, e.g. '0.1'` });
      return null;
    }
    return scaled;
  };
  const base = rate(input.stretchRate, 'stretchRate');
  const out: QuotaRecommendation[] = [];
  input.items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.forecastMinor) || (item.quotaMinor != null && !Number.isSafeInteger(item.quotaMinor))) {
      issues.push({ code: 'bad_amount', path: `items.${i}`, message: 'amounts are integers of minor units' });
      return;
    }
    const scaled = item.stretchRate === undefined ? base : rate(item.stretchRate, `items.${i}.stretchRate`);
    if (scaled === null) return;
    const den = 10n ** BigInt(STRETCH_SCALE);
    const recommended = roundHalfAway(BigInt(item.forecastMinor) * (den + scaled), den);
    const quotaMinor = item.quotaMinor ?? null;
    out.push({
      id: item.id,
      forecastMinor: item.forecastMinor,
      stretchRate: formatRational(rational(scaled, den), STRETCH_SCALE),
      recommendedMinor: assertMinor(Number(recommended), 'recommendedMinor'),
      quotaMinor,
      gapMinor: quotaMinor === null ? null : quotaMinor - item.forecastMinor,
      gapRate: quotaMinor === null || item.forecastMinor === 0 ? null : formatRational(rational(BigInt(quotaMinor - item.forecastMinor), BigInt(item.forecastMinor))),
    });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, recommendations: out };
}
