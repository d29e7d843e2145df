// UI side of the demo generator worker: one short-lived worker (through the pool), terminated when done.
import type { BookPayload } from '../db/book-payload.ts';
import type { DemoApi } from './demo-service.ts';
import { createWorkerPool } from './pool.ts';

export async function generateDemoBookInWorker(): Promise<BookPayload> {
  const pool = createWorkerPool<DemoApi>(() => new Worker(new URL('./demo.worker.ts', import.meta.url), { type: 'module', name: 'demo-book' }), { size: 1 });
  try {
    return await pool.run((api) => api.generateDemoBook());
  } finally {
    pool.terminate();
  }
}
