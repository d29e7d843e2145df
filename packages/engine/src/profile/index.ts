// Risk profiling: questionnaire → score → band → model portfolio.
export * from './risk-profile.ts';
