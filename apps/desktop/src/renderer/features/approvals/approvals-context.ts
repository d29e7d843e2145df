// The inbox's controller and store, given to its components by ApprovalsTab (one per opened book).
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ApprovalsController } from './approvals-controller.ts';
import type { ApprovalsState, ApprovalsStore } from './approvals-store.ts';

export interface ApprovalsRuntime {
  controller: ApprovalsController;
  store: ApprovalsStore;
}

export const ApprovalsContext = createContext<ApprovalsRuntime | null>(null);

export function useApprovalsRuntime(): ApprovalsRuntime {
  const r = useContext(ApprovalsContext);
  if (!r) throw new Error('approvals component outside <ApprovalsTab>');
  return r;
}

/** Subscribe to a narrow slice of the inbox state. */
export function useApprovals<T>(selector: (s: ApprovalsState) => T): T {
  return useStore(useApprovalsRuntime().store, selector);
}
