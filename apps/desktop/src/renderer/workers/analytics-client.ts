// The UI side of the analytics worker pool: typed calls with progress and cancellation. Imports no engine code:
// only types cross into the UI bundle.
import { createWorkerPool, type PoolOptions, type WorkerPool } from './pool.ts';
import type {
  AnalyticsApi, AnalyticsProgress, FrontierJob, FrontierOutcome, HarvestJob, HarvestResult, PerformanceJob, PerformanceView, ProfileItem, ProfileJob, ProfileView,
} from './analytics-service.ts';

export type {
  AnalyticsProgress, CloseSeries, FrontierJob, FrontierOutcome, FrontierPointView, FrontierProblem, FrontierView, HarvestCandidate, HarvestJob, HarvestResult, PerformanceJob, PerformanceView, PeriodReturn,
  ProfileItem, ProfileJob, ProfileView, QuestionnaireAnswers, RiskProfileResult,
} from './analytics-service.ts';

type CallOptions = { signal?: AbortSignal; onProgress?: (p: AnalyticsProgress) => void };

export interface AnalyticsClient {
  accountPerformance(job: PerformanceJob, opts?: CallOptions): Promise<PerformanceView>;
  frontier(job: FrontierJob, opts?: CallOptions): Promise<FrontierOutcome>;
  harvest(job: HarvestJob, opts?: CallOptions): Promise<HarvestResult & { computeMs: number }>;
  questionnaire(): Promise<{ version: string; items: ProfileItem[] }>;
  scoreProfile(job: ProfileJob, opts?: { signal?: AbortSignal }): Promise<ProfileView>;
  terminate(): void;
}

export function createAnalyticsWorkerPool(options: PoolOptions = { maxSize: 2 }): WorkerPool<AnalyticsApi> {
  return createWorkerPool<AnalyticsApi>(
    () => new Worker(new URL('./analytics.worker.ts', import.meta.url), { type: 'module', name: 'analytics' }), options);
}

export function createAnalyticsClient(pool: WorkerPool<AnalyticsApi> = createAnalyticsWorkerPool()): AnalyticsClient {
  return {
    accountPerformance: (job, opts = {}) =>
      pool.run<PerformanceView, AnalyticsProgress>((api, progress) => api.accountPerformance(job, progress), opts),
    frontier: (job, opts = {}) =>
      pool.run<FrontierOutcome, AnalyticsProgress>((api, progress) => api.frontier(job, progress), opts),
    harvest: (job, opts = {}) =>
      pool.run<HarvestResult & { computeMs: number }, AnalyticsProgress>((api, progress) => api.harvest(job, progress), opts),
    questionnaire: () => pool.run((api) => api.questionnaire()),
    scoreProfile: (job, opts = {}) => pool.run((api) => api.scoreProfile(job), opts),
    terminate: () => pool.terminate(),
  };
}
