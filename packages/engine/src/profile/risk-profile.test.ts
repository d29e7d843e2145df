import { describe, expect, it } from 'vitest';
import { PROFILE_WEIGHTS_V1, ProfileInputError, recommendModel, scoreRiskProfile, validateWeights } from './risk-profile.ts';

const neutral = { timeHorizon: '5to10', lossTolerance: 'hold', experience: 'some', incomeStability: 'stable', liquidityNeeds: 'moderate', goal: 'balanced', age: 50 };

describe('risk profile (ordinal logistic, weights v1)', () => {
  it('neutral answers: η = 0 → symmetric probabilities, moderate, score 50', () => {
    const r = scoreRiskProfile(neutral);
    expect(r.eta).toBe(0);
    // σ(−3) = 0.047426, σ(−1) = 0.268941: P = .0474, .2215, .4621, .2215, .0474
    expect(r.probabilities.conservative).toBeCloseTo(0.047426, 6);
    expect(r.probabilities.moderately_conservative).toBeCloseTo(0.268941421 - 0.047425873, 8);
    expect(r.probabilities.moderate).toBeCloseTo(0.462117, 6);
    expect(r.band).toBe('moderate');
    expect(r.score).toBe(50);
    expect(r.reasons).toEqual([]);
    expect(r.modelVersion).toBe('risk-profile-v1');
  });

  it('a young growth investor (hand-checked): η = 3.0 → aggressive, score 84', () => {
    const r = scoreRiskProfile({ ...neutral, timeHorizon: 'gt20', liquidityNeeds: 'low', age: 35, goal: 'growth' });
    // 0.8·1.5 + 0.6·1 + 0.5·((50 − 35)/15) + 0.7·1 = 1.2 + 0.6 + 0.5 + 0.7
    expect(r.eta).toBeCloseTo(3.0, 12);
    // P(≤k) = σ(θk − 3) = σ(−6), σ(−4), σ(−2), σ(0) = .002473, .017986, .119203, .5
    expect(r.probabilities.aggressive).toBeCloseTo(0.5, 12);
    expect(r.probabilities.moderately_aggressive).toBeCloseTo(0.5 - 0.119203, 6);
    expect(r.band).toBe('aggressive');
    // E[k] = 4.360338 → 100 · 3.360338 / 4 = 84.0
    expect(r.score).toBe(84);
    expect(r.reasons.map((x) => x.text)).toEqual(['Long horizon (+1.2)', 'Goal: growth (+0.7)', 'Low liquidity needs (+0.6)', 'Age 35 (+0.5)']);
  });

  it('a cautious saver lands in conservative with negative reasons', () => {
    const r = scoreRiskProfile({ timeHorizon: '3to5', lossTolerance: 'sellAll', experience: 'none', incomeStability: 'unstable', liquidityNeeds: 'moderate', goal: 'preservation', age: 80 });
    // −0.8 − 2 − 0.4 − 0.5 − 1.4 − 1.0 = −6.1
    expect(r.eta).toBeCloseTo(-6.1, 12);
    expect(r.band).toBe('conservative');
    expect(r.reasons[0]!.text).toBe('Would sell after a 20% fall (−2.0)');
  });

  it('caps the band on a short horizon and says why', () => {
    const r = scoreRiskProfile({ ...neutral, timeHorizon: 'lt3', lossTolerance: 'buyMore', experience: 'extensive', goal: 'aggressiveGrowth', liquidityNeeds: 'low', age: 25 });
    // −1.6 + 1.5 + 0.4 + 1.4 + 0.6 + 0.5·(25/15 → clamp 1.667) = 3.1333…
    expect(r.eta).toBeCloseTo(-1.6 + 1.5 + 0.4 + 1.4 + 0.6 + 0.5 * (25 / 15), 12);
    expect(r.uncappedBand).toBe('aggressive');
    expect(r.band).toBe('moderately_conservative');
    expect(r.caps).toEqual(['Horizon under 3 years caps the profile at moderately conservative']);
  });

  it('rejects missing and unknown answers with the question named', () => {
    const { age: _age, ...noAge } = neutral;
    expect(() => scoreRiskProfile(noAge)).toThrow(/missing answer: Age/);
    expect(() => scoreRiskProfile({ ...neutral, goal: 'yolo' })).toThrow(ProfileInputError);
    expect(() => scoreRiskProfile({ ...neutral, age: 7 })).toThrow(/Age must be a number from 18 to 110/);
  });

  it('validates the weights file', () => {
    expect(() => validateWeights(PROFILE_WEIGHTS_V1)).not.toThrow();
    expect(() => validateWeights({ ...PROFILE_WEIGHTS_V1, thresholds: [1, 0, 2, 3] })).toThrow(/increasing/);
  });

  it('recommends the team model, then a firm-wide one, then the nearest less risky profile', () => {
    const models = [
      { id: 'firm-mod', teamId: '', riskProfile: 'moderate' as const },
      { id: 'demo-mod', teamId: 'demo', riskProfile: 'moderate' as const },
      { id: 'firm-cons', teamId: '', riskProfile: 'conservative' as const },
    ];
    expect(recommendModel('moderate', models, 'demo')!.id).toBe('demo-mod');
    expect(recommendModel('moderate', models, 'north')!.id).toBe('firm-mod');
    expect(recommendModel('aggressive', models, 'north')!.id).toBe('firm-mod');
    expect(recommendModel('moderately_conservative', models)!.id).toBe('firm-cons');
    expect(recommendModel('moderate', [])).toBeNull();
  });
});
