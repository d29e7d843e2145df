// One valid document per book collection: fixtures for schema tests and for other packages' smoke tests.
import type { Account, ApprovalRecord, DailyPrice, Household, Model, Proposal, Security, TaxLot, Team, Transaction } from '../types.ts';
import type { BookCollectionName } from './index.ts';

const T = 1_795_000_000_000; // an epoch-ms timestamp in 2026

export function sampleBookDocs(): {
  teams: Team; households: Household; accounts: Account; securities: Security; lots: TaxLot; transactions: Transaction;
  models: Model; proposals: Proposal; approvals: ApprovalRecord; prices: DailyPrice;
} & Record<BookCollectionName, unknown> {
  return {
    teams: { id: 'demo', name: 'Demo team', members: [{ userId: 'u-alice', role: 'advisor' }, { userId: 'u-carol', role: 'reviewer' }], updatedAt: T },
    households: { id: 'hh-1', teamId: 'demo', name: 'Rivera Family', riskProfile: 'moderate', taxBracket: 0.32, state: 'CA', notes: '', updatedAt: T },
    accounts: { id: 'acc-1', teamId: 'demo', householdId: 'hh-1', name: 'Joint brokerage', type: 'taxable', custodian: 'Schwab',
      currency: 'USD', modelId: 'model-moderate', cashCents: 1_234_56, accountRevision: 3, updatedAt: T },
    securities: { symbol: 'VTI', name: 'Total US Market ETF', assetClass: 'US Large Cap', sector: 'Broad Market', currency: 'USD',
      tlhGroup: 'us-total-market', updatedAt: T },
    lots: { id: 'lot-1', teamId: 'demo', householdId: 'hh-1', accountId: 'acc-1', symbol: 'VTI', quantity: 10.5, costBasisCents: 2_100_00,
      acquiredDate: '2024-03-15', holdingPeriodStart: '2024-03-15', washSaleAdjustmentCents: 0, updatedAt: T },
    transactions: { id: 'tx-1', teamId: 'demo', householdId: 'hh-1', accountId: 'acc-1', date: '2024-03-15', type: 'buy', symbol: 'VTI',
      quantity: 10.5, price: 200, amountCents: 2_100_00, feesCents: 0, currency: 'USD', status: 'completed', lotMethod: 'fifo',
      proposalId: '', updatedAt: T },
    models: { id: 'model-moderate', teamId: '', name: 'Moderate', riskProfile: 'moderate', bandAbs: 0.05, bandRel: 0.25, updatedAt: T,
      targets: [
        { kind: 'assetClass', key: 'US Large Cap', weight: 0.6, symbols: ['VTI'] },
        { kind: 'assetClass', key: 'US Bonds', weight: 0.38, symbols: ['BND'] },
        { kind: 'assetClass', key: 'CASH', weight: 0.02, symbols: [] },
      ] },
    proposals: { id: 'prop-1', teamId: 'demo', householdId: 'hh-1', accountId: 'acc-1', modelId: 'model-moderate', authorId: 'u-alice',
      status: 'submitted', reason: 'drift', accountRevision: 3, driftBefore: 0.08, driftAfter: 0.01, buyCents: 50_000, sellCents: 49_000,
      estGainCents: -1_200, estTaxCents: 0, warnings: [], approverId: '', decidedAt: 0, executedAt: 0, batchId: '', createdAt: T, updatedAt: T,
      trades: [{ symbol: 'VTI', side: 'sell', quantity: 2, price: 245, amountCents: 49_000, lotIds: ['lot-1'], estGainCents: -1_200, reason: 'overweight' }] },
    approvals: { id: 'apr-1', teamId: 'demo', proposalId: 'prop-1', action: 'submit', actorId: 'u-alice', comment: '', fromStatus: 'draft',
      toStatus: 'submitted', at: T, updatedAt: T },
    prices: { id: 'VTI|2026-11-20', symbol: 'VTI', date: '2026-11-20', closePrice: 245.17, kind: 'security', updatedAt: T },
  };
}
