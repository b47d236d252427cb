import { describe, expect, it } from 'vitest';
import { recommendQuotas } from './recommend.js';

describe('recommendQuotas', () => {
  it('adds the stretch to the forecast and shows the quota-vs-forecast gap', () => {
    const result = recommendQuotas({ stretchRate: '0.1', items: [{ id: 'dach', forecastMinor: 1_000_000_00, quotaMinor: 1_200_000_00 }, { id: 'new', forecastMinor: 0 }] });
    expect(result).toEqual({
      ok: true,
      recommendations: [
        { id: 'dach', forecastMinor: 1_000_000_00, stretchRate: '0.1', recommendedMinor: 1_100_000_00, quotaMinor: 1_200_000_00, gapMinor: 200_000_00, gapRate: '0.2' },
        { id: 'new', forecastMinor: 0, stretchRate: '0.1', recommendedMinor: 0, quotaMinor: null, gapMinor: null, gapRate: null },
      ],
    });
  });

  it('rounds half away from zero exactly and takes per-item stretch', () => {
    const result = recommendQuotas({ stretchRate: '0.15', items: [{ id: 'a', forecastMinor: 1 }, { id: 'b', forecastMinor: 10, stretchRate: '0.05' }] });
    expect(result.ok && result.recommendations.map((r) => r.recommendedMinor)).toEqual([1, 11]);
  });

  it('rejects a bad stretch', () => {
    expect(recommendQuotas({ stretchRate: 'ten', items: [] })).toMatchObject({ ok: false, issues: [{ code: 'bad_rate' }] });
    expect(recommendQuotas({ stretchRate: '-1', items: [] })).toMatchObject({ ok: false });
  });
});
