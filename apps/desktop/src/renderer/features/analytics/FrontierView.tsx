// The efficient frontier of the chosen account's securities (computed in the analytics worker from daily closes):
// the frontier curve, and the account's current portfolio, its model, the max-Sharpe and min-volatility portfolios
// placed on it. The chart's container carries data attributes (points, markers) the e2e test reads.
import { useMemo } from 'react';
import { EChart } from '../../charts/EChart.tsx';
import { useApp } from '../../stores/app-store.ts';
import { pct, ratio } from './analytics-format.ts';
import { frontierMarkers, frontierOption } from './charts.ts';
import { Progress } from './Progress.tsx';

export function FrontierView() {
  const f = useApp((s) => s.analytics.frontier);
  const accountId = useApp((s) => s.analytics.accountId);
  const mine = f.accountId === accountId;
  const v = mine ? f.view : null;
  const option = useMemo(() => (v ? frontierOption(v) : null), [v]);
  if (!accountId) return <div className="analytics-empty">Choose an account to see its efficient frontier.</div>;
  const markers = v ? frontierMarkers(v) : [];
  return (
    <div className="analytics-view" data-testid="frontier-view" data-status={mine ? f.status : 'idle'}>
      {f.status === 'loading' && <Progress progress={f.progress} testId="frontier-progress" />}
      {f.status === 'error' && mine && <div className="banner error" data-testid="frontier-error">Could not compute the frontier: {f.error}</div>}
      {mine && f.problem && <div className="banner warn" data-testid="frontier-problem" data-code={f.problem.code}>{f.problem.message}</div>}
      {mine && f.warning && <div className="banner warn">{f.warning}</div>}
      {v && option && (
        <>
          <table className="periods frontier-table" data-testid="frontier-table">
            <thead><tr><th>Portfolio</th><th>Expected return</th><th>Volatility</th><th>Sharpe</th><th>Largest weights</th></tr></thead>
            <tbody>
              {markers.map(([name, p]) => (
                <tr key={name} data-testid={`frontier-row-${name.startsWith('Model') ? 'model' : name.toLowerCase().replace(/ /g, '-')}`}>
                  <td>{name}</td><td>{pct(p.expectedReturn)}</td><td>{pct(p.volatility)}</td><td>{ratio(p.sharpe)}</td>
                  <td className="muted">{p.top.slice(0, 4).map(([s, w]) => `${s} ${pct(w, 1)}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="muted small">
            {v.symbols.length} securities · daily closes {v.window.from} to {v.window.to} ({v.window.days} days) · mean historical returns,
            Ledoit-Wolf covariance · long only · risk-free {pct(v.riskFreeRate, 1)} · computed in a worker in {v.computeMs.toFixed(0)} ms
            {f.historySource === 'cache' && ' · history from this computer\'s cache (offline)'}
          </div>
          {v.notes.map((n) => <div key={n} className="muted small">{n}</div>)}
          <div className="chart-title">Efficient frontier (annualized)</div>
          <div data-testid="frontier-chart-box" data-points={v.points.length} data-markers={markers.map(([n]) => (n.startsWith('Model') ? 'model' : n.toLowerCase().replace(/ /g, '-'))).join(',')}
            data-current={v.current ? `${v.current.volatility},${v.current.expectedReturn}` : ''}
            data-model={v.model ? `${v.model.volatility},${v.model.expectedReturn}` : ''}>
            <EChart option={option} className="analytics-chart tall" testId="frontier-chart" />
          </div>
        </>
      )}
    </div>
  );
}
