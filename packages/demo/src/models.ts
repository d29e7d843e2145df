// The five firm-wide risk-profile models of the demo book: asset-class targets (fractions summing to 1, cash
// as key 'CASH'), preferred symbols per class (the members of the class's first index group, so a tax-loss
// harvest has a replacement at hand) and tolerance bands.
import type { Model, RiskProfile } from '@aw/domain';
import { ASSET_CLASSES, CASH_KEY, type Universe } from './universe.ts';

/** Target weights in percent per profile, in ASSET_CLASSES order, then CASH. Each row sums to 100. */
const TARGET_PCT: Record<RiskProfile, readonly number[]> = {
  //                      USLC USSC Intl  EM USBd IntBd TIPS REIT Cmdty Muni  HY CashEq CASH
  conservative:            [12,   3,   5,  0,  35,   8,  12,   2,   0,   10,   3,   5,    5],
  moderately_conservative: [22,   5,   9,  3,  25,   6,   8,   4,   2,    7,   4,   2,    3],
  moderate:                [32,   7,  12,  5,  18,   4,   5,   5,   3,    4,   3,   0,    2],
  moderately_aggressive:   [40,  10,  15,  7,  10,   2,   2,   6,   3,    2,   2,   0,    1],
  aggressive:              [46,  13,  17, 10,   4,   0,   0,   5,   3,    0,   1,   0,    1],
};
const BANDS: Record<RiskProfile, { bandAbs: number; bandRel: number }> = {
  conservative: { bandAbs: 0.03, bandRel: 0.2 },
  moderately_conservative: { bandAbs: 0.04, bandRel: 0.2 },
  moderate: { bandAbs: 0.05, bandRel: 0.25 },
  moderately_aggressive: { bandAbs: 0.05, bandRel: 0.25 },
  aggressive: { bandAbs: 0.06, bandRel: 0.3 },
};
const TITLES: Record<RiskProfile, string> = {
  conservative: 'Conservative Income', moderately_conservative: 'Moderately Conservative', moderate: 'Balanced Growth',
  moderately_aggressive: 'Growth', aggressive: 'Aggressive Growth',
};

export const modelIdFor = (profile: RiskProfile): string => `model-${profile.replace(/_/g, '-')}`;

/** Preferred symbols of each class: the USD members of its first TLH group that are priced from the start. */
export function preferredSymbols(universe: Universe): string[][] {
  return ASSET_CLASSES.map((_, c) => {
    const funds = universe.securities.filter((s) => s.classIndex === c && s.isFund && s.currency === 'USD' && s.listingFraction === 0);
    const first = funds[0]?.groupIndex;
    return funds.filter((s) => s.groupIndex === first).slice(0, 4).map((s) => s.symbol);
  });
}

export function demoModels(universe: Universe, updatedAt: number): Model[] {
  const preferred = preferredSymbols(universe);
  return (Object.keys(TARGET_PCT) as RiskProfile[]).map((profile) => {
    const pct = TARGET_PCT[profile];
    const targets = ASSET_CLASSES.flatMap((c, i) => pct[i]! > 0
      ? [{ kind: 'assetClass' as const, key: c.name, weight: pct[i]! / 100, symbols: preferred[i]! }] : []);
    targets.push({ kind: 'assetClass', key: CASH_KEY, weight: pct[ASSET_CLASSES.length]! / 100, symbols: [] });
    return { id: modelIdFor(profile), teamId: '', name: TITLES[profile], riskProfile: profile, targets, ...BANDS[profile], updatedAt };
  });
}
