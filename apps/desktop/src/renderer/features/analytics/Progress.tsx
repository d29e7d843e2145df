// Progress of a worker job: the stage and a bar (done/total).
import type { AnalyticsProgress } from '../../workers/analytics-client.ts';

export function Progress({ progress, testId }: { progress: AnalyticsProgress | null; testId: string }) {
  const frac = progress && progress.total > 0 ? progress.done / progress.total : 0;
  return (
    <div className="analytics-progress" data-testid={testId}>
      <span>{progress?.stage ?? 'Starting'}{progress && progress.total > 1 ? ` ${progress.done}/${progress.total}` : ''}…</span>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)}>
        <div style={{ width: `${Math.round(frac * 100)}%` }} />
      </div>
    </div>
  );
}
