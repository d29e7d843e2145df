// Rows of the client book grid: one per account, joined with its household, model and valuation.
// Money in integer cents; null market value while the valuation is running.
import type { Account, AccountType, Household, Model } from '@aw/domain';
import type { AccountValuation } from '../../workers/valuation-client.ts';

export interface BookRow {
  accountId: string;
  householdId: string;
  household: string;
  account: string;
  type: AccountType;
  custodian: string;
  marketValueCents: number | null;
  cashCents: number;
  unrealizedCents: number | null;
  model: string;
  /** Drift from the model: computed by the rebalancing engine later; null until then. */
  drift: number | null;
}

export function bookRows(households: readonly Household[], accounts: readonly Account[], models: readonly Model[],
  valuations: Readonly<Record<string, AccountValuation>>): BookRow[] {
  const hh = new Map(households.map((h) => [h.id, h]));
  const mm = new Map(models.map((m) => [m.id, m.name]));
  const rows: BookRow[] = [];
  for (const a of accounts) {
    const h = hh.get(a.householdId);
    if (!h) continue;
    const v = valuations[a.id];
    rows.push({
      accountId: a.id, householdId: a.householdId, household: h.name, account: a.name, type: a.type, custodian: a.custodian,
      marketValueCents: v ? v.marketValueCents : null, cashCents: a.cashCents, unrealizedCents: v ? v.unrealizedCents : null,
      model: mm.get(a.modelId) ?? (a.modelId || '—'), drift: null,
    });
  }
  return rows.sort((x, y) => x.household.localeCompare(y.household) || x.account.localeCompare(y.account));
}
