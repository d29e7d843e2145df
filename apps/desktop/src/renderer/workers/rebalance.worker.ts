// Web Worker entry of the bulk rebalance: exposes the rebalance service over Comlink, reading the book's lots from
// IndexedDB through RxDB's Dexie storage (the same storage the UI's RxDB uses).
import * as Comlink from 'comlink';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { createRebalanceService } from './rebalance-service.ts';

Comlink.expose(createRebalanceService({ storage: () => getRxStorageDexie({ indexedDB: self.indexedDB, IDBKeyRange: self.IDBKeyRange }) }));
