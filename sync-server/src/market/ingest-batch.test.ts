// Parsing of ws ingest messages into column batches (the ingest worker's job, ingest-batch.ts).
import { describe, expect, it } from 'vitest';
import { columnsOver, createSymbolTable, parseIngest, type ParsedIngest } from './ingest-batch.ts';

const table = createSymbolTable(['AAA', 'BBB', 'CCC']);
const parsed = (text: string): ParsedIngest => {
  const r = parseIngest(text, table.idOf);
  if (!r.ok) throw new Error(r.error);
  return r;
};

describe('ingest batch parsing', () => {
  it('turns valid ticks of known symbols into columns in message order, volume 0 when absent', () => {
    const r = parsed(JSON.stringify({ type: 'ticks', id: 'b1', ticks: [{ s: 'CCC', p: 1.5, t: 1000, v: 7 }, { s: 'AAA', p: 200.25, t: 1001 }] }));
    expect(r.cols.n).toBe(2);
    expect([...r.cols.sym]).toEqual([2, 0]);
    expect([...r.cols.p]).toEqual([1.5, 200.25]);
    expect([...r.cols.t]).toEqual([1000, 1001]);
    expect([...r.cols.v]).toEqual([7, 0]);
    expect(r).toMatchObject({ invalid: 0, unknownCount: 0, unknown: [], hasId: true, id: 'b1' });
  });

  it('counts invalid ticks and names unknown symbols without keeping them', () => {
    const r = parsed(JSON.stringify({
      type: 'ticks',
      ticks: [{ s: 'AAA', p: -1, t: 1 }, { s: 'AAA', p: 5 }, null, 7, { s: 'ZZZ', p: 1, t: 1 }, { s: 'ZZZ', p: 2, t: 2 }, { s: 'YYY', p: 1, t: 1 }, { s: 'BBB', p: 3, t: 9, v: -4 }],
    }));
    expect(r.cols.n).toBe(1);
    expect([...r.cols.sym]).toEqual([1]);
    expect([...r.cols.v]).toEqual([0]);
    expect(r).toMatchObject({ invalid: 4, unknownCount: 3, unknown: ['ZZZ', 'YYY'], hasId: false });
  });

  it('rejects what is not a ticks message with the text the provider reads', () => {
    const error = (text: string) => {
      const r = parseIngest(text, table.idOf);
      return r.ok ? null : r.error;
    };
    expect(error('{"type":"ticks",')).toBe('message is not valid JSON');
    expect(error('[1,2]')).toMatch(/JSON object with a string "type"/);
    expect(error('{"type":"subscribe"}')).toMatch(/unknown message type "subscribe": expected ticks/);
    expect(error('{"type":"ticks","ticks":"lots"}')).toMatch(/"ticks" must be an array/);
  });

  it('columns survive a move to another buffer owner (transfer between threads)', () => {
    const r = parsed(JSON.stringify({ type: 'ticks', ticks: [{ s: 'BBB', p: 9.75, t: 5 }, { s: 'AAA', p: 1, t: 6 }] }));
    const copy = (r.cols.p.buffer as ArrayBuffer).slice(0);
    const back = columnsOver(copy, r.cols.n);
    expect([...back.sym]).toEqual([1, 0]);
    expect([...back.p]).toEqual([9.75, 1]);
  });

  it('symbol ids follow the order of addition, so a mirror fed the same additions agrees', () => {
    const main = createSymbolTable(['A', 'B']);
    const mirror = createSymbolTable(['A', 'B']);
    expect(main.add(['C', 'A', 'D'])).toEqual(['C', 'D']);
    mirror.add(['C', 'D']);
    for (const s of ['A', 'B', 'C', 'D']) expect(mirror.idOf(s)).toBe(main.idOf(s));
    expect(main.idOf('E')).toBe(-1);
    expect(main.symbolOf(3)).toBe('D');
  });
});
