// The grids' AG Grid modules: every community module but row pinning (see ag-grid.ts).
import { AllCommunityModule, PinnedRowModule } from 'ag-grid-community';
import { describe, expect, it } from 'vitest';
import { gridModules } from './ag-grid.ts';

describe('grid modules', () => {
  it('registers every community module but row pinning (whose static model re-measured the viewport on every scroll step)', () => {
    expect(gridModules).not.toContain(PinnedRowModule);
    expect(new Set(gridModules)).toEqual(new Set((AllCommunityModule.dependsOn ?? []).filter((m) => m !== PinnedRowModule)));
    expect(gridModules.length).toBeGreaterThan(30);
  });
});
