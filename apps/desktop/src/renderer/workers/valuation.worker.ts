// Web Worker entry: exposes the valuation service over Comlink.
import * as Comlink from 'comlink';
import { valuationService } from './valuation-service.ts';

Comlink.expose(valuationService);
