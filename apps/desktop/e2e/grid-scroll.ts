import type { Page } from 'playwright-core';

/**
 * Scrolls the vertical scroller of the grid under `[data-testid=testId]` to its top or bottom (found by its overflow:
 * AG Grid's class names change by version).
 */
export const scrollGrid = (page: Page, testId: string, to: 'top' | 'bottom') => page.evaluate(([id, where]) => {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${id}"] *`))) {
    const oy = getComputedStyle(el).overflowY;
    if ((oy === 'auto' || oy === 'scroll') && el.scrollHeight > el.clientHeight + 20) {
      el.scrollTop = where === 'top' ? 0 : el.scrollHeight;
      return true;
    }
  }
  throw new Error(`no scrollable viewport in ${id}`);
}, [testId, to] as const);
