// The client book screen: search and filters above the accounts grid, the household panel beside it.
import { useCallback, useState } from 'react';
import { ACCOUNT_TYPES, type AccountType } from '@aw/domain';
import { ACCOUNT_TYPE_LABELS } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { HouseholdPanel } from '../household/HouseholdPanel.tsx';
import { BookGrid } from './BookGrid.tsx';

export function ClientBookScreen() {
  const store = useAppStore();
  const search = useApp((s) => s.filter.search);
  const accountType = useApp((s) => s.filter.accountType);
  const householdCount = useApp((s) => s.book.households.length);
  const selectedId = useApp((s) => s.household.selectedId);
  const [counts, setCounts] = useState({ shown: 0, total: 0 });
  const onCountChange = useCallback((shown: number, total: number) => setCounts((c) => (c.shown === shown && c.total === total ? c : { shown, total })), []);

  return (
    <div className={`book-screen ${selectedId ? 'with-panel' : ''}`}>
      <section className="book-main">
        <div className="toolbar">
          <h1 className="screen-title">Client book</h1>
          <input
            className="search"
            type="search"
            placeholder="Search households, accounts, models…"
            aria-label="Search the client book"
            data-testid="book-search"
            value={search}
            onChange={(e) => store.getState().setSearch(e.target.value)}
          />
          <select
            className="select"
            aria-label="Account type"
            data-testid="type-filter"
            value={accountType}
            onChange={(e) => store.getState().setAccountType(e.target.value as AccountType | 'all')}
          >
            <option value="all">All account types</option>
            {ACCOUNT_TYPES.map((t) => <option key={t} value={t}>{ACCOUNT_TYPE_LABELS[t]}</option>)}
          </select>
          <span className="muted count" data-testid="row-count">
            {counts.shown.toLocaleString('en-US')} of {counts.total.toLocaleString('en-US')} accounts · {householdCount} households
          </span>
        </div>
        <BookGrid onCountChange={onCountChange} compact={selectedId !== null} />
      </section>
      {selectedId && <HouseholdPanel householdId={selectedId} />}
    </div>
  );
}
