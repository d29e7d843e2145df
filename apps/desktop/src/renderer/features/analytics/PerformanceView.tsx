// Account performance: value, time-weighted growth against the benchmark, drawdown, and the metrics table
// (1M … inception, with the benchmark's returns over the same periods) — all computed in the analytics worker; this component only shows the slice.
import { useMemo } from 'react';
import { EChart } from '../../charts/EChart.tsx';
import { money } from '../../grid/format.ts';
import { useApp } from '../../stores/app-store.ts';
import { PERIOD_LABELS, pct, ratio } from './analytics-format.ts';
import { drawdownOption, growthOption, valueOption } from './charts.ts';
import { Progress } from './Progress.tsx';

function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
  return <div className="kpi"><div className="kpi-label">{label}</div><div className="kpi-value" data-testid={testId}>{value}</div></div>;
}

export function PerformanceView() {
  const perf = useApp((s) => s.analytics.performance);
  const accountId = useApp((s) => s.analytics.accountId);
  const v = perf.accountId === accountId ? perf.view : null;
  const options = useMemo(() => (v ? { value: valueOption(v), growth: growthOption(v), drawdown: drawdownOption(v) } : null), [v]);
  if (!accountId) return <div className="analytics-empty">Choose an account to see its performance.</div>;
  return (
    <div className="analytics-view" data-testid="performance-view" data-status={perf.accountId === accountId ? perf.status : 'idle'}>
      {perf.status === 'loading' && <Progress progress={perf.progress} testId="performance-progress" />}
      {perf.status === 'error' && <div className="banner error" data-testid="performance-error">Could not compute performance: {perf.error}</div>}
      {perf.warning && <div className="banner warn">{perf.warning}</div>}
      {v && options && (
        <>
          <div className="kpis">
            <Metric label="Market value" value={money(v.endValueCents)} testId="perf-end-value" />
            <Metric label={`TWR since ${v.startDate}`} value={pct(v.twr)} testId="perf-twr" />
            <Metric label="Annualized" value={pct(v.twrAnnualized)} testId="perf-twr-annualized" />
            <Metric label="IRR (money-weighted)" value={pct(v.irr)} testId="perf-irr" />
            <Metric label="Volatility" value={pct(v.volatility)} testId="perf-volatility" />
            <Metric label="Max drawdown" value={pct(v.maxDrawdown)} testId="perf-max-drawdown" />
            <Metric label="Sharpe" value={ratio(v.sharpe)} testId="perf-sharpe" />
            <Metric label="Sortino" value={ratio(v.sortino)} testId="perf-sortino" />
            <Metric label={`Beta vs ${v.benchmarkSymbol ?? '—'}`} value={ratio(v.beta)} testId="perf-beta" />
            <Metric label="Tracking error" value={pct(v.trackingError)} testId="perf-tracking-error" />
          </div>
          <table className="periods" data-testid="periods-table">
            <thead><tr><th />{v.periods.map((p) => <th key={p.period}>{PERIOD_LABELS[p.period]}</th>)}</tr></thead>
            <tbody>
              <tr><td className="muted">Return</td>{v.periods.map((p) => <td key={p.period} data-testid={`period-${p.period}`}>{pct(p.return)}</td>)}</tr>
              <tr><td className="muted">Annualized</td>{v.periods.map((p) => <td key={p.period}>{pct(p.annualized)}</td>)}</tr>
              {v.benchmarkPeriods && (
                <>
                  <tr><td className="muted">Benchmark {v.benchmarkSymbol}</td>{v.benchmarkPeriods.map((p) => <td key={p.period} data-testid={`bench-period-${p.period}`}>{pct(p.return)}</td>)}</tr>
                  <tr><td className="muted">Excess return</td>{v.periods.map((p, i) => {
                    const b = v.benchmarkPeriods![i]?.return;
                    return <td key={p.period}>{p.return === null || b === null || b === undefined ? '—' : pct(p.return - b)}</td>;
                  })}</tr>
                </>
              )}
            </tbody>
          </table>
          <div className="muted small">
            {v.startDate} to {v.endDate} · net contributions {money(v.netFlowsCents)}
            {v.assumedFundingCents > 0 && <> (of which {money(v.assumedFundingCents)} assumed: buys not covered by the account's cash count as contributions)</>}
            {v.benchmarkReturn !== null && <> · benchmark {v.benchmarkSymbol} {pct(v.benchmarkReturn)}</>}
            {' '}· computed in a worker in {v.computeMs.toFixed(0)} ms
          </div>
          <div className="chart-title">Market value</div>
          <EChart option={options.value} className="analytics-chart" testId="value-chart" />
          <div className="chart-title">Cumulative return vs benchmark</div>
          <EChart option={options.growth} className="analytics-chart" testId="growth-chart" />
          <div className="chart-title">Drawdown</div>
          <EChart option={options.drawdown} className="analytics-chart small" testId="drawdown-chart" />
        </>
      )}
    </div>
  );
}
