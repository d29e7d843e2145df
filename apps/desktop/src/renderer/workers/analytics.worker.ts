// Web Worker entry: exposes the analytics service (performance, efficient frontier, tax-loss harvesting, risk profile) over Comlink.
import * as Comlink from 'comlink';
import { analyticsService } from './analytics-service.ts';

Comlink.expose(analyticsService);
