// Child process of durability.int.test.ts: writes batches forever and prints `ACK <batch>` to stdout after each
// bulkWrite has resolved (= acknowledged). The parent kills it with SIGKILL mid-stream. Each batch inserts
// BATCH_SIZE lot-like documents and moves one `counter` document to the batch number, in one bulkWrite.
import { fillWithDefaultSettings, now, type RxDocumentData } from 'rxdb';
import { getRxStorageSqlite } from './index.ts';

export const BATCH_SIZE = 250;
export interface Row {
  id: string;
  batch: number;
  payload: string;
}
export const rowSchema = fillWithDefaultSettings<Row>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    batch: { type: 'integer', minimum: 0, maximum: 1_000_000, multipleOf: 1 },
    payload: { type: 'string' },
  },
  required: ['id', 'batch', 'payload'],
  indexes: ['batch'],
});

async function main(): Promise<void> {
  const dir = process.argv[2];
  const storage = getRxStorageSqlite({ directory: dir });
  const inst = await storage.createStorageInstance<Row>({
    databaseInstanceToken: 'child',
    databaseName: 'durable',
    collectionName: 'rows',
    schema: rowSchema,
    options: {},
    multiInstance: false,
    devMode: false,
  });
  let counter: RxDocumentData<Row> | undefined;
  const payload = 'x'.repeat(400);
  for (let batch = 1; ; batch++) {
    const rows = Array.from({ length: BATCH_SIZE }, (_, i) => ({
      document: {
        id: `b${batch}-${i}`,
        batch,
        payload,
        _deleted: false,
        _attachments: {},
        _rev: '1-a',
        _meta: { lwt: now() },
      } as RxDocumentData<Row>,
    }));
    const next: RxDocumentData<Row> = {
      id: 'counter',
      batch,
      payload: '',
      _deleted: false,
      _attachments: {},
      _rev: `${batch}-c`,
      _meta: { lwt: now() },
    };
    const res = await inst.bulkWrite([...rows, { previous: counter, document: next }], 'durability');
    if (res.error.length) throw new Error(`unexpected write errors: ${JSON.stringify(res.error.slice(0, 1))}`);
    counter = next;
    process.stdout.write(`ACK ${batch}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  main().catch((err) => {
    process.stderr.write(String(err?.stack ?? err) + '\n');
    process.exit(1);
  });
}
