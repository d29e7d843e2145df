// Web Worker entry: exposes the demo book generator over Comlink.
import * as Comlink from 'comlink';
import { demoService } from './demo-service.ts';

Comlink.expose(demoService);
