// Review grid rows: one flat row per proposal (names resolved, warnings joined) and the grouped summary rows the
// "group by" selector shows (AG Grid community has no row grouping, so groups are aggregated here: one parent row
// per model or household, drilled into by filtering the detail grid). Money in integer cents; drift as weights.
import type { Account, Household, Model, Proposal, ProposalStatus } from '@aw/domain';
import type { ProposalListing } from '../../workers/rebalance-client.ts';

export interface ReviewRow {
  id: string;
  accountId: string;
  account: string;
  householdId: string;
  household: string;
  modelId: string;
  model: string;
  status: ProposalStatus;
  driftBefore: number;
  driftAfter: number;
  trades: number;
  buyCents: number;
  sellCents: number;
  estGainCents: number;
  estTaxCents: number;
  warnings: string;
  warningCount: number;
  createdAt: number;
}

export type ProposalSummary = Pick<Proposal, 'id' | 'accountId' | 'householdId' | 'modelId' | 'status' | 'driftBefore' | 'driftAfter' |
  'buyCents' | 'sellCents' | 'estGainCents' | 'estTaxCents' | 'warnings' | 'createdAt'> & { trades: readonly unknown[] };

export interface NameLookup {
  accounts: ReadonlyMap<string, Pick<Account, 'name'>>;
  households: ReadonlyMap<string, Pick<Household, 'name'>>;
  models: ReadonlyMap<string, Pick<Model, 'name'>>;
}

export function nameLookup(accounts: readonly Account[], households: readonly Household[], models: readonly Model[]): NameLookup {
  return {
    accounts: new Map(accounts.map((a) => [a.id, a])),
    households: new Map(households.map((h) => [h.id, h])),
    models: new Map(models.map((m) => [m.id, m])),
  };
}

/** The row of a proposal: a whole document (change events) or a worker's listing (first load). */
export function reviewRow(p: ProposalSummary | ProposalListing, names: NameLookup): ReviewRow {
  return {
    id: p.id, accountId: p.accountId, account: names.accounts.get(p.accountId)?.name ?? p.accountId,
    householdId: p.householdId, household: names.households.get(p.householdId)?.name ?? p.householdId,
    modelId: p.modelId, model: names.models.get(p.modelId)?.name ?? (p.modelId || '(no model)'),
    status: p.status, driftBefore: p.driftBefore, driftAfter: p.driftAfter, trades: 'tradeCount' in p ? p.tradeCount : p.trades.length,
    buyCents: p.buyCents, sellCents: p.sellCents, estGainCents: p.estGainCents, estTaxCents: p.estTaxCents,
    warnings: p.warnings.join(' · '), warningCount: p.warnings.length, createdAt: p.createdAt,
  };
}

export type GroupBy = 'none' | 'model' | 'household';

export interface GroupRow {
  key: string;
  name: string;
  proposals: number;
  trades: number;
  buyCents: number;
  sellCents: number;
  estGainCents: number;
  estTaxCents: number;
  /** Largest drift before / after among the group's proposals. */
  maxDriftBefore: number;
  maxDriftAfter: number;
  warnings: number;
  drafts: number;
  submitted: number;
}

/** One aggregated row per model or household, sorted by name. */
export function groupRows(rows: readonly ReviewRow[], by: Exclude<GroupBy, 'none'>): GroupRow[] {
  const groups = new Map<string, GroupRow>();
  for (const r of rows) {
    const key = by === 'model' ? r.modelId : r.householdId;
    let g = groups.get(key);
    if (!g) {
      g = { key, name: by === 'model' ? r.model : r.household, proposals: 0, trades: 0, buyCents: 0, sellCents: 0, estGainCents: 0,
        estTaxCents: 0, maxDriftBefore: 0, maxDriftAfter: 0, warnings: 0, drafts: 0, submitted: 0 };
      groups.set(key, g);
    }
    g.proposals++;
    g.trades += r.trades;
    g.buyCents += r.buyCents;
    g.sellCents += r.sellCents;
    g.estGainCents += r.estGainCents;
    g.estTaxCents += r.estTaxCents;
    g.maxDriftBefore = Math.max(g.maxDriftBefore, r.driftBefore);
    g.maxDriftAfter = Math.max(g.maxDriftAfter, r.driftAfter);
    g.warnings += r.warningCount;
    if (r.status === 'draft') g.drafts++;
    else if (r.status === 'submitted') g.submitted++;
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const wholeDollars = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * `money()` of grid/format.ts (`$1,234.56`, `-$0.05`, exact from integer cents) with one cached Intl formatter: the
 * review grid formats four money cells per row while scrolling 100,000 rows, and `toLocaleString` builds a new
 * formatter per call.
 */
export function reviewMoney(cents: number | null | undefined, signed = false): string {
  if (cents === null || cents === undefined) return '—';
  const abs = Math.abs(Math.round(cents));
  const s = `$${wholeDollars.format(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
  return cents < 0 && abs > 0 ? `-${s}` : signed && cents > 0 ? `+${s}` : s;
}
