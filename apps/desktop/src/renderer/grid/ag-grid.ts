// AG Grid setup for every grid of the app: community modules registered once, one dense dark theme.
import { AllCommunityModule, ModuleRegistry, PinnedRowModule, colorSchemeDark, themeQuartz, type Module } from 'ag-grid-community';

/**
 * Every community module but row pinning, which no grid here uses: AG Grid 36's static pinned-row model announces
 * `pinnedHeightChanged` on every row-render pass, even with no pinned rows, and each announcement re-measures the
 * viewport in the next frame (a forced layout and a scrollbar check on every scroll step of every grid).
 */
export const gridModules: readonly Module[] = (AllCommunityModule.dependsOn ?? []).filter((m) => m !== PinnedRowModule);
ModuleRegistry.registerModules([...gridModules]);

/** Every grid's row height (px); grid/line-body.ts positions its lines by it. */
export const ROW_HEIGHT = 28;

export const gridTheme = themeQuartz.withPart(colorSchemeDark).withParams({
  backgroundColor: '#11161d',
  foregroundColor: '#d5dbe3',
  headerBackgroundColor: '#161c24',
  headerTextColor: '#8b98a9',
  oddRowBackgroundColor: '#131920',
  borderColor: '#232b36',
  accentColor: '#4c9aff',
  selectedRowBackgroundColor: '#1b2b44',
  rowHoverColor: '#18212c',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif',
  fontSize: 12,
  headerFontSize: 11,
  headerFontWeight: 600,
  spacing: 5,
  rowHeight: ROW_HEIGHT,
  headerHeight: 30,
  wrapperBorderRadius: 0,
  borderRadius: 3,
  cellHorizontalPaddingScale: 0.8,
});
