// Web Worker entry of the bulk rebalance: exposes the rebalance service over Comlink.
import * as Comlink from 'comlink';
import { createRebalanceService } from './rebalance-service.ts';

Comlink.expose(createRebalanceService());
