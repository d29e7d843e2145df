// React access to the rebalance controller created by the workspace (one per open book).
import { createContext, useContext } from 'react';
import type { RebalanceController } from './rebalance-controller.ts';

export const RebalanceControllerContext = createContext<RebalanceController | null>(null);

export function useRebalanceController(): RebalanceController {
  const c = useContext(RebalanceControllerContext);
  if (!c) throw new Error('useRebalanceController outside <Workspace>');
  return c;
}
