// Risk profiling: questionnaire answers → a score, a risk band and a model portfolio, with the reasons.
// The scoring model is a proportional-odds (ordinal logistic) model whose weights live in a versioned JSON file
// (./weights-v1.json): every answer maps to a number x, the linear predictor is η = Σ weight·x, and
//   P(band ≤ k) = σ(θ_k − η),  σ(z) = 1 / (1 + e^(−z)),  k = 1..4,  P(band = k) = P(≤ k) − P(≤ k − 1).
// The band is the most probable one, then lowered by any capacity cap the answers trigger (e.g. a horizon under
// 3 years); the score (0–100) is the expected band position: 100 · (E[k] − 1) / 4.
// Each answer's contribution weight·x is a reason the advisor can show ("Long horizon (+1.2)").
import { RISK_PROFILES, type Model, type RiskProfile } from '@aw/domain';
import weightsV1 from './weights-v1.json' with { type: 'json' };

interface ChoiceAnswer { label: string; x: number; reason: string }
interface NumericScale { center: number; scale: number; min: number; max: number; minValue: number; maxValue: number; reason: string }
export interface ProfileItem {
  id: string;
  label: string;
  question: string;
  weight: number;
  answers?: Record<string, ChoiceAnswer>;
  numeric?: NumericScale;
}
export interface ProfileWeights {
  version: string;
  model: string;
  bands: RiskProfile[];
  thresholds: number[];
  items: ProfileItem[];
  caps: { item: string; answer: string; maxBand: RiskProfile; reason: string }[];
}

export const PROFILE_WEIGHTS_V1 = weightsV1 as ProfileWeights;

/** Answer ids for choice questions, numbers for numeric ones (age). */
export type QuestionnaireAnswers = Record<string, string | number>;

export interface ProfileReason {
  item: string;
  contribution: number;
  /** e.g. "Long horizon (+1.2)". */
  text: string;
}

export interface RiskProfileResult {
  modelVersion: string;
  /** 0–100. */
  score: number;
  band: RiskProfile;
  /** The band before caps. */
  uncappedBand: RiskProfile;
  eta: number;
  probabilities: Record<RiskProfile, number>;
  /** Largest effect first; neutral answers are omitted. */
  reasons: ProfileReason[];
  caps: string[];
}

export class ProfileInputError extends Error {
  override name = 'ProfileInputError';
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

/** Check the weights file is coherent (bands ordered as RISK_PROFILES, increasing thresholds). */
export function validateWeights(w: ProfileWeights): void {
  if (w.bands.join() !== RISK_PROFILES.join()) throw new ProfileInputError(`weights ${w.version}: bands must be ${RISK_PROFILES.join(', ')}`);
  if (w.thresholds.length !== w.bands.length - 1 || w.thresholds.some((t, i) => i > 0 && !(t > w.thresholds[i - 1]!))) {
    throw new ProfileInputError(`weights ${w.version}: need ${w.bands.length - 1} increasing thresholds`);
  }
}

export function scoreRiskProfile(answers: QuestionnaireAnswers, weights: ProfileWeights = PROFILE_WEIGHTS_V1): RiskProfileResult {
  validateWeights(weights);
  let eta = 0;
  const reasons: ProfileReason[] = [];
  for (const item of weights.items) {
    const a = answers[item.id];
    if (a === undefined || a === '') throw new ProfileInputError(`missing answer: ${item.label} (${item.id})`);
    let x: number, reason: string;
    if (item.numeric) {
      const v = typeof a === 'number' ? a : Number(a);
      const n = item.numeric;
      if (!Number.isFinite(v) || v < n.minValue || v > n.maxValue) throw new ProfileInputError(`${item.label} must be a number from ${n.minValue} to ${n.maxValue}, got ${JSON.stringify(a)}`);
      x = Math.min(n.max, Math.max(n.min, (n.center - v) / n.scale));
      reason = n.reason.replace('{value}', String(v));
    } else {
      const choice = item.answers?.[String(a)];
      if (!choice) throw new ProfileInputError(`${item.label}: unknown answer ${JSON.stringify(a)} (expected one of ${Object.keys(item.answers ?? {}).join(', ')})`);
      x = choice.x;
      reason = choice.reason;
    }
    const contribution = item.weight * x;
    eta += contribution;
    if (Math.abs(contribution) >= 0.05) reasons.push({ item: item.id, contribution, text: `${reason} (${signed(contribution)})` });
  }
  reasons.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution));
  const cum = [...weights.thresholds.map((t) => sigmoid(t - eta)), 1];
  const probs = cum.map((c, k) => c - (k > 0 ? cum[k - 1]! : 0));
  let best = 0;
  probs.forEach((p, k) => { if (p > probs[best]!) best = k; });
  const expected = probs.reduce((s, p, k) => s + p * (k + 1), 0);
  let bandIdx = best;
  const caps: string[] = [];
  for (const cap of weights.caps) {
    if (String(answers[cap.item]) !== cap.answer) continue;
    const max = weights.bands.indexOf(cap.maxBand);
    if (bandIdx > max) { bandIdx = max; caps.push(cap.reason); }
  }
  return {
    modelVersion: weights.version,
    score: Math.round(100 * (expected - 1) / (weights.bands.length - 1)),
    band: weights.bands[bandIdx]!, uncappedBand: weights.bands[best]!, eta,
    probabilities: Object.fromEntries(weights.bands.map((b, k) => [b, probs[k]!])) as Record<RiskProfile, number>,
    reasons, caps,
  };
}

/**
 * The model portfolio for a band: the team's own model of that profile first, then a firm-wide one (teamId ''),
 * else the nearest less risky profile that has one. Null when there are no models.
 */
export function recommendModel<M extends Pick<Model, 'id' | 'teamId' | 'riskProfile'>>(band: RiskProfile, models: readonly M[], teamId = ''): M | null {
  const start = RISK_PROFILES.indexOf(band);
  const order = [...RISK_PROFILES.slice(0, start + 1).reverse(), ...RISK_PROFILES.slice(start + 1)];
  for (const profile of order) {
    const fit = models.filter((m) => m.riskProfile === profile);
    const own = fit.find((m) => teamId !== '' && m.teamId === teamId) ?? fit.find((m) => m.teamId === '');
    if (own) return own;
  }
  return null;
}
