import { afterEach, describe, expect, it } from 'vitest';
import { ROW_WORK_BUDGET_MS, rowWorkInTasks } from './row-work.ts';

/** The shape of AG Grid's animation frame service that row-work relies on, recording what runs. */
class FakeFrameService {
  readonly log: string[] = [];
  requestFrame(): void { this.log.push('animation frame'); }
  executeFrame(millis: number): void { this.log.push(`frame ${millis}`); }
}
const nodeOf = (svc: unknown) => ({ beans: { animationFrameSvc: svc } });
const nextTask = () => new Promise((r) => setTimeout(r, 5));
const undos: Array<() => void> = [];
afterEach(() => { for (const u of undos.splice(0)) u(); });

describe('row work in tasks of its own', () => {
  it('runs the grid\'s frame in a posted task with a frame\'s budget instead of an animation frame', async () => {
    const svc = new FakeFrameService();
    const undo = rowWorkInTasks(nodeOf(svc));
    expect(undo).toBeTypeOf('function');
    undos.push(undo!);
    svc.requestFrame();
    expect(svc.log).toEqual([]); // not run inside the caller (the scroll handler)
    await nextTask();
    expect(svc.log).toEqual([`frame ${ROW_WORK_BUDGET_MS}`]);
    expect(ROW_WORK_BUDGET_MS).toBeLessThan(60);
  });

  it('is installed once per grid; the undo gives the grid its own scheduling back', async () => {
    const svc = new FakeFrameService();
    const undo = rowWorkInTasks(nodeOf(svc))!;
    expect(rowWorkInTasks(nodeOf(svc))).toBe(undo);
    undo();
    svc.requestFrame();
    await nextTask();
    expect(svc.log).toEqual(['animation frame']);
  });

  it('asks again the grid\'s own way for a frame that was asked for but not run when undone', async () => {
    const svc = new FakeFrameService();
    const undo = rowWorkInTasks(nodeOf(svc))!;
    svc.requestFrame();
    undo();
    await nextTask();
    expect(svc.log).toEqual(['animation frame']);
  });

  it('changes nothing when the grid\'s internals are not what it expects', () => {
    expect(rowWorkInTasks(null)).toBeNull();
    expect(rowWorkInTasks({})).toBeNull();
    expect(rowWorkInTasks(nodeOf({ requestFrame() {} }))).toBeNull();
    const odd = { requestFrame: 1, executeFrame() {} };
    expect(rowWorkInTasks(nodeOf(odd))).toBeNull();
    expect(odd.requestFrame).toBe(1);
  });
});
