// Risk questionnaire: the versioned scoring model's questions (from the worker), the answers in the slice, and the
// result — score 0–100, risk band, the reasons the advisor can show, capacity caps, and the recommended model.
import { RISK_LABELS } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import type { AnalyticsController } from './analytics-controller.ts';

export function QuestionnaireView({ controller }: { controller: AnalyticsController | null }) {
  const store = useAppStore();
  const profile = useApp((s) => s.analytics.profile);
  const complete = profile.items.length > 0 && profile.items.every((it) => profile.answers[it.id] !== undefined && profile.answers[it.id] !== '');
  const v = profile.view;
  return (
    <div className="analytics-view questionnaire" data-testid="profile-view">
      <form className="questions" onSubmit={(e) => { e.preventDefault(); void controller?.scoreProfile(); }}>
        <div className="muted small">Scoring model {profile.version}</div>
        {profile.items.map((it) => (
          <label key={it.id} className="question">
            <span className="q-label">{it.label}</span>
            <span className="muted small">{it.question}</span>
            {it.answers ? (
              <select data-testid={`q-${it.id}`} value={String(profile.answers[it.id] ?? '')}
                onChange={(e) => store.getState().setProfileAnswer(it.id, e.target.value)}>
                <option value="">Choose…</option>
                {Object.entries(it.answers).map(([id, ans]) => <option key={id} value={id}>{ans.label}</option>)}
              </select>
            ) : (
              <input type="number" data-testid={`q-${it.id}`} min={it.numeric?.minValue} max={it.numeric?.maxValue}
                value={String(profile.answers[it.id] ?? '')}
                onChange={(e) => store.getState().setProfileAnswer(it.id, e.target.value === '' ? '' : Number(e.target.value))} />
            )}
          </label>
        ))}
        <button type="submit" className="primary" disabled={!complete || profile.status === 'loading'} data-testid="profile-score">Score</button>
      </form>
      <div className="profile-result">
        {profile.status === 'error' && <div className="banner error" data-testid="profile-error">{profile.error}</div>}
        {v && (
          <>
            <div className="kpis">
              <div className="kpi"><div className="kpi-label">Risk score</div><div className="kpi-value" data-testid="profile-score-value">{v.result.score.toFixed(0)}</div></div>
              <div className="kpi"><div className="kpi-label">Risk band</div><div className="kpi-value" data-testid="profile-band">{RISK_LABELS[v.result.band] ?? v.result.band}</div></div>
              <div className="kpi"><div className="kpi-label">Recommended model</div><div className="kpi-value" data-testid="profile-model">{v.model?.name ?? 'No model for this band'}</div></div>
            </div>
            {v.result.caps.length > 0 && <div className="banner warn">{v.result.caps.join(' ')}</div>}
            <div className="section-title">Why</div>
            <ul className="reasons" data-testid="profile-reasons">
              {v.result.reasons.map((r) => <li key={r.item} className={r.contribution > 0 ? 'gain' : 'loss'}>{r.text}</li>)}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
