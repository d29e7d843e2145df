// All end-to-end specs in Debian Chromium (web mode), one after another in one browser, each with its own real sync
// server (temp --data folder, demo book) and web-mode UI on 127.0.0.1; builds the app first when it is stale.
// Screenshots go to test-artifacts/e2e/. Last line: `e2e: N passed, M failed`; exit 1 on any failure.
// One spec alone: `flock /tmp/aw-e2e.lock node --import tsx apps/desktop/e2e/<name>.e2e.ts`.
import { runSliceE2e } from './slice.e2e.ts';
import { runSyncE2e } from './sync.e2e.ts';
import { runRebalanceE2e } from './rebalance.e2e.ts';
import { runApprovalsE2e } from './approvals.e2e.ts';
import { runAnalyticsE2e } from './analytics.e2e.ts';
import { runMarketE2e } from './market.e2e.ts';
import { runSpecs } from './standalone.ts';

runSpecs('e2e', [runSliceE2e, runSyncE2e, runRebalanceE2e, runApprovalsE2e, runAnalyticsE2e, runMarketE2e]);
