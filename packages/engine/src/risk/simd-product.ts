// WebAssembly SIMD (f64x2) kernels for the O(n²T) and O(n³) loops of the risk models, with scalar fallbacks in
// linalg.ts: (1) matrix products C = A·Bᵀ of asset-major data (n rows of T observations), the bulk of a sample
// covariance, cache-blocked, about 3× the best scalar JavaScript loop (≈ 50 ms for 500 × 2,610); (2) the row loop
// of a Householder tridiagonalization step, the bulk of the spectral PSD repair. Units: none (pure numerics).
// The module is assembled here from its instructions (under 1 KB; no build step, no binary blob). Sums run in a
// different order than a scalar loop (two interleaved partial sums), so results agree with it to rounding, not
// bit for bit. Where WebAssembly is unavailable (e.g. a Content-Security-Policy without 'wasm-unsafe-eval') the
// entry points return null and callers use the scalar loops.

// ---- a minimal WebAssembly assembler: just the opcodes the kernel uses ----
const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const i32 = (v: number): number[] => [0x41, ...sleb(v)];
const add = [0x6a], mul = [0x6c], ltU = [0x49];
const loop = (body: number[]): number[] => [0x03, 0x40, ...body, 0x0b];
const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const v128Load = [...simd(0x00), 3, 0]; // align 2^3 (8 bytes: rows need not be 16-byte aligned), offset 0
const f64x2Add = simd(240), f64x2Sub = simd(241), f64x2Mul = simd(242), f64x2Splat = simd(20);
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const extractLane = (lane: number): number[] => [...simd(33), lane];
const f64Add = [0xa0];
const f64Store = [0x39, 3, 0];
const f64Load = [0x2b, 3, 0];
const f64Zero = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];

/**
 * product(a, b, np, tp, c, lower, i0, i1, t0, t1): for i in [i0, i1) step 2, j in [0, np) step 4 (only j < i + 2
 * when `lower`), C[i+r][j+s] += Σ_{t0 ≤ t < t1} A[i+r][t]·B[j+s][t] for r < 2, s < 4. Byte addresses a, b, c; np a
 * multiple of 4; tp (row length) even; t0 < t1 byte offsets into the rows, multiples of 16. Locals after the 10
 * params: i, j, off, pa0, pa1, end, rowBytes, pb0…pb3, ca; 8 accumulators, va0, va1, vb.
 */
function productBody(): number[] {
  const [A, B, NP, TP, C, LOWER, I0, I1, T0, T1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [I, J, OFF, PA0, PA1, END, ROW] = [10, 11, 12, 13, 14, 15, 16];
  const PB = 17; // 17..20: row addresses of B[j + s]
  const CA = 21; // address of C[i + r][j + s]
  const ACC = 22; // 22..29: acc[r * 4 + s]
  const VA0 = 30, VA1 = 31, VB = 32;
  const body: number[] = [];
  const e = (...xs: number[][]): void => { for (const x of xs) body.push(...x); };
  e(get(TP), i32(8), mul, set(ROW), get(T1), set(END));
  e(get(I0), set(I));
  e([0x02, 0x40], loop([ // block $iDone / loop $i
    ...get(I), ...get(I1), ...ltU, 0x45, ...brIf(1), // i >= i1 → done
    ...get(A), ...get(I), ...get(ROW), ...mul, ...add, ...set(PA0),
    ...get(PA0), ...get(ROW), ...add, ...set(PA1),
    ...i32(0), ...set(J),
    0x02, 0x40, ...loop([ // block $jDone / loop $j
      // while j < (lower ? i + 2 : np)
      ...get(J), ...get(LOWER), 0x04, I32, ...get(I), ...i32(2), ...add, 0x05, ...get(NP), 0x0b, ...ltU, 0x45, ...brIf(1),
      ...Array.from({ length: 8 }, (_, k) => [...f64Zero, ...f64x2Splat, ...set(ACC + k)]).flat(),
      ...[0, 1, 2, 3].flatMap((s) => [...get(B), ...get(J), ...i32(s), ...add, ...get(ROW), ...mul, ...add, ...set(PB + s)]),
      ...get(T0), ...set(OFF),
      ...loop([ // do … while (off < end): two observations per pass
        ...get(PA0), ...get(OFF), ...add, ...v128Load, ...set(VA0),
        ...get(PA1), ...get(OFF), ...add, ...v128Load, ...set(VA1),
        ...[0, 1, 2, 3].flatMap((s) => [
          // vb = B[j + s][off]
          ...get(PB + s), ...get(OFF), ...add, ...v128Load, ...set(VB),
          ...get(ACC + s), ...get(VA0), ...get(VB), ...f64x2Mul, ...f64x2Add, ...set(ACC + s),
          ...get(ACC + 4 + s), ...get(VA1), ...get(VB), ...f64x2Mul, ...f64x2Add, ...set(ACC + 4 + s),
        ]),
        ...get(OFF), ...i32(16), ...add, ...set(OFF),
        ...get(OFF), ...get(END), ...ltU, ...brIf(0),
      ]),
      // C[(i + r) * np + j + s] += lane0 + lane1
      ...[0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((s) => [
        ...get(C), ...get(I), ...i32(r), ...add, ...get(NP), ...mul, ...get(J), ...add, ...i32(s), ...add, ...i32(8), ...mul, ...add,
        ...tee(CA), ...get(CA), ...f64Load,
        ...get(ACC + r * 4 + s), ...extractLane(0), ...get(ACC + r * 4 + s), ...extractLane(1), ...f64Add, ...f64Add, ...f64Store,
      ])),
      ...get(J), ...i32(4), ...add, ...set(J),
      ...[0x0c, 0], // br $j
    ]), 0x0b,
    ...get(I), ...i32(2), ...add, ...set(I),
    ...[0x0c, 0], // br $i
  ]), [0x0b]);
  body.push(0x0b); // end of function
  return [...vec([[...uleb(12), I32], [...uleb(11), V128]]), ...body];
}

/**
 * rank2Step(w, n, o, m, vk, wk, vn, pn): the row loop of one Householder tridiagonalization step of
 * clipNegativeEigenvalues (linalg.ts) over the trailing block B = w[o…, o…] (lower triangle, row-major, n columns).
 * For rows i in [1, m) and columns j in [1, i]: B_ij −= vk_i·wk_j + wk_i·vk_j (the rank-2 update), and the next
 * step's symmetric product with the updated values: pn_{j−1} += vn_{i−1}·B_ij for j ≤ i, pn_{i−1} += Σ_{j<i}
 * B_ij·vn_{j−1}. Column 0 is the caller's. Byte addresses; columns 1… of each row go two at a time (f64x2), the odd
 * one and the diagonal one by one. Locals after the 8 params: i, ri, j, end; vi, wi, vni, accs, x; svi, swi, svni,
 * acc, xv.
 */
function rank2StepBody(): number[] {
  const [W, N, O, M, VK, WK, VN, PN] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [I, RI, J, END] = [8, 9, 10, 11];
  const [VI, WI, VNI, ACCS, X] = [12, 13, 14, 15, 16];
  const [SVI, SWI, SVNI, ACC, XV] = [17, 18, 19, 20, 21];
  const at = (base: number): number[] => [...get(base), ...get(J), ...add];
  const vload = (offset: number): number[] => [...simd(0x00), 3, ...uleb(offset)];
  const vstore = (offset: number): number[] => [...simd(0x0b), 3, ...uleb(offset)];
  const fload = (offset: number): number[] => [0x2b, 3, ...uleb(offset)];
  const fstore = (offset: number): number[] => [0x39, 3, ...uleb(offset)];
  const fmul = [0xa2], fsub = [0xa1];
  // x = row_j − (vi·wk_j + wi·vk_j), stored back; leaves nothing on the stack, x in X.
  const scalarUpdate = [
    ...at(RI),
    ...at(RI), ...fload(8), ...get(VI), ...at(WK), ...fload(8), ...fmul, ...get(WI), ...at(VK), ...fload(8), ...fmul, ...f64Add, ...fsub,
    ...tee(X), ...fstore(8),
  ];
  const vnPrev = [...get(VN), ...get(I), ...i32(1), ...[0x6b], ...i32(8), ...mul, ...add, ...fload(0)]; // vn[i − 1]
  const rows = [
    ...get(I), ...get(M), ...ltU, 0x45, ...brIf(1),
    ...get(W), ...get(O), ...get(I), ...add, ...get(N), ...mul, ...get(O), ...add, ...i32(8), ...mul, ...add, ...set(RI),
    ...get(VK), ...get(I), ...i32(8), ...mul, ...add, ...fload(0), ...tee(VI), ...f64x2Splat, ...set(SVI),
    ...get(WK), ...get(I), ...i32(8), ...mul, ...add, ...fload(0), ...tee(WI), ...f64x2Splat, ...set(SWI),
    ...vnPrev, ...tee(VNI), ...f64x2Splat, ...set(SVNI),
    ...f64Zero, ...f64x2Splat, ...set(ACC),
    // end = ((i − 1) & ~1) · 8 bytes of paired columns
    ...get(I), ...i32(1), 0x6b, ...i32(-2), 0x71, ...i32(8), ...mul, ...set(END),
    ...i32(0), ...set(J),
    0x02, 0x40, ...loop([
      ...get(J), ...get(END), ...ltU, 0x45, ...brIf(1),
      ...at(RI),
      ...at(RI), ...vload(8),
      ...get(SVI), ...at(WK), ...vload(8), ...f64x2Mul,
      ...get(SWI), ...at(VK), ...vload(8), ...f64x2Mul,
      ...f64x2Add, ...f64x2Sub, ...tee(XV), ...vstore(8),
      ...get(ACC), ...get(XV), ...at(VN), ...vload(0), ...f64x2Mul, ...f64x2Add, ...set(ACC),
      ...at(PN),
      ...at(PN), ...vload(0), ...get(XV), ...get(SVNI), ...f64x2Mul, ...f64x2Add, ...vstore(0),
      ...get(J), ...i32(16), ...add, ...set(J),
      0x0c, 0,
    ]), 0x0b,
    ...get(ACC), ...extractLane(0), ...get(ACC), ...extractLane(1), ...f64Add, ...set(ACCS),
    // the odd column (j < i), if any
    0x02, 0x40, ...loop([
      ...get(J), ...i32(8), ...add, ...get(I), ...i32(8), ...mul, ...ltU, 0x45, ...brIf(1),
      ...scalarUpdate,
      ...get(ACCS), ...get(X), ...at(VN), ...fload(0), ...fmul, ...f64Add, ...set(ACCS),
      ...at(PN), ...at(PN), ...fload(0), ...get(X), ...get(VNI), ...fmul, ...f64Add, ...fstore(0),
      ...get(J), ...i32(8), ...add, ...set(J),
      0x0c, 0,
    ]), 0x0b,
    // the diagonal (j = i): pn_{i−1} += accs + x·vni
    ...scalarUpdate,
    ...at(PN), ...at(PN), ...fload(0), ...get(ACCS), ...get(X), ...get(VNI), ...fmul, ...f64Add, ...f64Add, ...fstore(0),
    ...get(I), ...i32(1), ...add, ...set(I),
    0x0c, 0,
  ];
  const code = [...i32(1), ...set(I), 0x02, 0x40, ...loop(rows), 0x0b, 0x0b];
  return [...vec([[...uleb(4), I32], [...uleb(5), F64], [...uleb(5), V128]]), ...code];
}

function assemble(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([
    [0x60, ...vec(Array.from({ length: 10 }, () => [I32])), ...vec([])],
    [0x60, ...vec(Array.from({ length: 8 }, () => [I32])), ...vec([])],
  ]));
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x01]])); // memory, min 1 page
  const funcs = section(3, vec([[0], [1]]));
  const exports = section(7, vec([[...str('product'), 0x00, 0], [...str('rank2Step'), 0x00, 1]]));
  const bodies = [productBody(), rank2StepBody()];
  const code = section(10, vec(bodies.map((b) => [...uleb(b.length), ...b])));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

let compiled: WebAssembly.Module | null | undefined;
let disabled = 0;
function kernelModule(): WebAssembly.Module | null {
  if (disabled > 0) return null;
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(assemble()) : null;
    } catch {
      compiled = null; // no SIMD support, or compilation forbidden by a Content-Security-Policy
    }
  }
  return compiled;
}

/** True when the SIMD kernels can run here (otherwise callers use the scalar loops). */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

/** Runs `f` with the SIMD kernels switched off (the scalar fallbacks run instead): for tests of the fallbacks. */
export function withoutSimd<T>(f: () => T): T {
  disabled++;
  try {
    return f();
  } finally {
    disabled--;
  }
}

export interface Kernels {
  /** The whole kernel memory as doubles; valid until the next `simdKernels` call (which may grow the memory). */
  heap: Float64Array;
  product: (a: number, b: number, np: number, tp: number, c: number, lower: number, i0: number, i1: number, t0: number, t1: number) => void;
  rank2Step: (w: number, n: number, o: number, m: number, vk: number, wk: number, vn: number, pn: number) => void;
}

const PAGE = 65536;
/** Observations per cache block of the product (even). */
const TB = 128;
let instance: { mem: WebAssembly.Memory; exports: WebAssembly.Exports } | null = null;

/**
 * The kernels with at least `bytes` of memory (contents left over from earlier calls: callers write every byte
 * they read). One memory per thread, grown on demand and kept: a fresh WebAssembly memory per call costs a
 * garbage collection and zero-filled page faults, more than small products take. Null without WebAssembly.
 */
export function simdKernels(bytes: number): Kernels | null {
  const mod = kernelModule();
  if (!mod) return null;
  const pages = Math.ceil(bytes / PAGE);
  if (!instance) {
    const mem = new WebAssembly.Memory({ initial: pages });
    instance = { mem, exports: new WebAssembly.Instance(mod, { env: { mem } }).exports };
  }
  const have = instance.mem.buffer.byteLength / PAGE;
  if (have < pages) instance.mem.grow(pages - have);
  return {
    heap: new Float64Array(instance.mem.buffer),
    product: instance.exports.product as Kernels['product'],
    rank2Step: instance.exports.rank2Step as Kernels['rank2Step'],
  };
}

/** Writes row i (T observations of one asset) into the given view; called once per row, in order. */
export type RowFill = (row: Float64Array, i: number) => void;

/**
 * C = A·Bᵀ (n×n, row-major) for asset-major A and B (n rows of length T) whose rows are written straight into
 * WebAssembly memory by `fillA` / `fillB` (no intermediate copy; each call must write all T values of its row);
 * with `fillB` omitted, the symmetric Gram matrix A·Aᵀ (only its lower triangle is computed, then mirrored).
 * Null when WebAssembly is unavailable (then nothing is filled).
 */
export function simdProduct(n: number, T: number, fillA: RowFill, fillB?: RowFill): Float64Array | null {
  const np = (n + 3) & ~3;
  const tp = T + (T & 1);
  const rowsBytes = np * tp * 8;
  const k = simdKernels(rowsBytes * (fillB ? 2 : 1) + np * np * 8);
  if (!k) return null;
  const { heap, product } = k;
  // Rows padded with zeros to an even length, and zero rows up to a multiple of 4 (zeros add nothing).
  const rows = (fill: RowFill, at: number): void => {
    for (let i = 0; i < n; i++) {
      fill(heap.subarray(at + i * tp, at + i * tp + T), i);
      if (tp > T) heap[at + i * tp + T] = 0;
    }
    heap.fill(0, at + n * tp, at + np * tp);
  };
  rows(fillA, 0);
  const bAt = fillB ? rowsBytes : 0;
  if (fillB) rows(fillB, rowsBytes / 8);
  const cAt = rowsBytes * (fillB ? 2 : 1);
  // Observations in chunks of TB: one chunk of every row (n·TB·8 bytes) stays in the L2 cache while all pairs of
  // rows use it, instead of streaming whole rows from memory for every pair. Many short calls rather than one long
  // one also let V8 switch from its baseline WebAssembly code to the optimized code (there is no on-stack
  // replacement for WebAssembly).
  heap.fill(0, cAt / 8, cAt / 8 + np * np);
  for (let t0 = 0; t0 < tp; t0 += TB) {
    const t1 = Math.min(tp, t0 + TB);
    for (let i0 = 0; i0 < np; i0 += 4) product(0, bAt, np, tp, cAt, fillB ? 0 : 1, i0, i0 + 4, t0 * 8, t1 * 8);
  }
  const out = new Float64Array(n * n);
  const c = cAt / 8;
  if (fillB) {
    for (let i = 0; i < n; i++) out.set(heap.subarray(c + i * np, c + i * np + n), i * n);
  } else {
    for (let i = 0; i < n; i++) {
      const ri = c + i * np;
      for (let j = 0; j <= i; j++) {
        const v = heap[ri + j];
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
    }
  }
  return out;
}
