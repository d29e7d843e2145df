// Store slice: the analytics screen — which sub-view, which household/account, the benchmark symbol, and the
// results the analytics controller brings back from the workers (performance and efficient frontier of an account, the household's
// tax-loss-harvesting candidates, the risk questionnaire's score), each with its progress and error.
import type { SliceCreator } from '../../stores/slice.ts';
import type {
  AnalyticsProgress, FrontierProblem, FrontierView, HarvestResult, PerformanceView, ProfileItem, ProfileView, QuestionnaireAnswers,
} from '../../workers/analytics-client.ts';

export type AnalyticsTab = 'performance' | 'frontier' | 'harvest' | 'profile';
export type JobStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface PerformanceState {
  status: JobStatus;
  accountId: string | null;
  progress: AnalyticsProgress | null;
  view: PerformanceView | null;
  historySource: 'server' | 'cache' | 'local' | null;
  warning: string;
  error: string;
}
export interface FrontierState {
  status: JobStatus;
  accountId: string | null;
  progress: AnalyticsProgress | null;
  view: FrontierView | null;
  /** Too little history or no solution: told to the advisor instead of a chart. */
  problem: FrontierProblem | null;
  historySource: 'server' | 'cache' | 'local' | null;
  warning: string;
  error: string;
}
export interface HarvestState {
  status: JobStatus;
  householdId: string | null;
  progress: AnalyticsProgress | null;
  result: (HarvestResult & { computeMs: number; asOf: string }) | null;
  error: string;
}
export interface ProfileState {
  status: JobStatus;
  version: string;
  items: ProfileItem[];
  answers: QuestionnaireAnswers;
  view: ProfileView | null;
  error: string;
}

export interface AnalyticsSlice {
  analytics: {
    tab: AnalyticsTab;
    householdId: string | null;
    accountId: string | null;
    benchmark: string;
    performance: PerformanceState;
    frontier: FrontierState;
    harvest: HarvestState;
    profile: ProfileState;
  };
  setAnalyticsTab(tab: AnalyticsTab): void;
  selectAnalyticsHousehold(id: string | null): void;
  selectAnalyticsAccount(id: string | null): void;
  setBenchmark(symbol: string): void;
  patchPerformance(p: Partial<PerformanceState>): void;
  patchFrontier(p: Partial<FrontierState>): void;
  patchHarvest(p: Partial<HarvestState>): void;
  patchProfile(p: Partial<ProfileState>): void;
  setProfileAnswer(item: string, answer: string | number): void;
}

const idle = { status: 'idle' as const, progress: null, error: '' };

export const createAnalyticsSlice: SliceCreator<AnalyticsSlice> = (set) => ({
  analytics: {
    tab: 'performance', householdId: null, accountId: null, benchmark: '',
    performance: { ...idle, accountId: null, view: null, historySource: null, warning: '' },
    frontier: { ...idle, accountId: null, view: null, problem: null, historySource: null, warning: '' },
    harvest: { ...idle, householdId: null, result: null },
    profile: { status: 'idle', version: '', items: [], answers: {}, view: null, error: '' },
  },
  setAnalyticsTab: (tab) => set((s) => ({ analytics: { ...s.analytics, tab } })),
  selectAnalyticsHousehold: (householdId) => set((s) => ({ analytics: { ...s.analytics, householdId, accountId: null } })),
  selectAnalyticsAccount: (accountId) => set((s) => ({ analytics: { ...s.analytics, accountId } })),
  setBenchmark: (benchmark) => set((s) => ({ analytics: { ...s.analytics, benchmark } })),
  patchPerformance: (p) => set((s) => ({ analytics: { ...s.analytics, performance: { ...s.analytics.performance, ...p } } })),
  patchFrontier: (p) => set((s) => ({ analytics: { ...s.analytics, frontier: { ...s.analytics.frontier, ...p } } })),
  patchHarvest: (p) => set((s) => ({ analytics: { ...s.analytics, harvest: { ...s.analytics.harvest, ...p } } })),
  patchProfile: (p) => set((s) => ({ analytics: { ...s.analytics, profile: { ...s.analytics.profile, ...p } } })),
  setProfileAnswer: (item, answer) => set((s) => ({
    analytics: { ...s.analytics, profile: { ...s.analytics.profile, answers: { ...s.analytics.profile.answers, [item]: answer } } },
  })),
});
