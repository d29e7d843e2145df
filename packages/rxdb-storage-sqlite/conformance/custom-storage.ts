// Our storage for RxDB's conformance suite. The suite's test/unit/config.ts picks the storage named by
// DEFAULT_STORAGE; with DEFAULT_STORAGE=custom it takes CUSTOM_STORAGE from './custom-storage.ts', which the
// resolve hooks (hooks.ts) map to this module, and hands it to setConfig() of rxdb/plugins/test-utils.
// Wrapped with ajv validation like every storage in RxDB's own config. Files go to AW_CONFORMANCE_TMP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxTestStorage } from 'rxdb';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { getRxStorageSqlite } from '../src/index.ts';

const directory = process.env.AW_CONFORMANCE_TMP ?? mkdtempSync(join(tmpdir(), 'aw-conformance-'));

export const CUSTOM_STORAGE: RxTestStorage = {
  name: 'aw-sqlite',
  getStorage: () => wrappedValidateAjvStorage({ storage: getRxStorageSqlite({ directory, synchronous: 'NORMAL' }) }),
  getPerformanceStorage: () => ({
    description: 'aw-sqlite (node sqlite3, WAL)',
    storage: getRxStorageSqlite({ directory }),
  }),
  hasPersistence: true,
  hasMultiInstance: true,
  hasAttachments: true,
  hasReplication: true,
};
