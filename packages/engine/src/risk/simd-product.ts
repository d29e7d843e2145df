// WebAssembly SIMD (f64x2) kernels for the O(n²T) and O(n³) loops of the risk models, with scalar fallbacks in
// linalg.ts: (1) matrix products C = A·Bᵀ of asset-major data (n rows of T observations), the bulk of a sample
// covariance, fed one chunk of observations at a time, about 3× the best scalar JavaScript loop (≈ 30 ms for
// 500 × 2,610); (2) the row loop of a Householder tridiagonalization step, the bulk of the spectral PSD repair, and
// the step's O(n) vector updates (plain f64, same order and bits as the scalar loops). Units: none (pure numerics).
// The module is assembled here from its instructions (under 2 KB; no build step, no binary blob). The products sum
// in a different order than a scalar loop (two interleaved partial sums), so they agree with it to rounding, not
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
const f64Const = (x: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)];
const f64Mul = [0xa2], f64Sub = [0xa1];
/** `for (counter = 0; counter < limit; counter++) body`: `limit` is the instructions that push the bound. */
const countUp = (counter: number, limit: number[], body: number[]): number[] => [
  ...i32(0), ...set(counter),
  0x02, 0x40, ...loop([
    ...get(counter), ...limit, ...ltU, 0x45, ...brIf(1),
    ...body,
    ...get(counter), ...i32(1), ...add, ...set(counter),
    0x0c, 0,
  ]), 0x0b,
];

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

/**
 * The O(m) vector steps of a Householder tridiagonalization step (linalg.ts householderTridiagonal), sequential
 * f64 arithmetic in the same order as the scalar loops (so the same bits); in WebAssembly because a single cold
 * call of the tridiagonalization would otherwise run them for a long time in V8's interpreter.
 * - rank2Vector(p, v, wk, m, beta): pv = Σ p_i·v_i, K = (0.5·β)·pv, wk_i = p_i − K·v_i.
 * - updateColumn(w, n, o, m, v, wk): w[(o+1+j)·n + o] −= v_{1+j}·wk_0 + wk_{1+j}·v_0 for j < m − 1.
 * - scale(x, m, f): x_i = x_i·f.
 * Byte addresses for arrays.
 */
function rank2VectorBody(): number[] {
  const [P, V, WK, M, BETA] = [0, 1, 2, 3, 4];
  const [I, PV, K] = [5, 6, 7];
  const at = (base: number): number[] => [...get(base), ...get(I), ...i32(8), ...mul, ...add];
  const code = [
    ...f64Zero, ...set(PV),
    ...countUp(I, get(M), [...get(PV), ...at(P), ...f64Load, ...at(V), ...f64Load, ...f64Mul, ...f64Add, ...set(PV)]),
    ...f64Const(0.5), ...get(BETA), ...f64Mul, ...get(PV), ...f64Mul, ...set(K),
    ...countUp(I, get(M), [...at(WK), ...at(P), ...f64Load, ...get(K), ...at(V), ...f64Load, ...f64Mul, ...f64Sub, ...f64Store]),
    0x0b,
  ];
  return [...vec([[...uleb(1), I32], [...uleb(2), F64]]), ...code];
}

function updateColumnBody(): number[] {
  const [W, N, O, M, V, WK] = [0, 1, 2, 3, 4, 5];
  const [J, ROW, V0, W0] = [6, 7, 8, 9];
  const at1 = (base: number): number[] => [...get(base), ...get(J), ...i32(1), ...add, ...i32(8), ...mul, ...add]; // base[1 + j]
  const code = [
    ...get(V), ...f64Load, ...set(V0), ...get(WK), ...f64Load, ...set(W0),
    ...i32(0), ...set(J),
    0x02, 0x40, ...loop([
      ...get(J), ...i32(1), ...add, ...get(M), ...ltU, 0x45, ...brIf(1), // j + 1 < m
      // row address of w[(o + 1 + j)·n + o]
      ...get(W), ...get(O), ...i32(1), ...add, ...get(J), ...add, ...get(N), ...mul, ...get(O), ...add, ...i32(8), ...mul, ...add, ...tee(ROW),
      ...get(ROW), ...f64Load,
      ...at1(V), ...f64Load, ...get(W0), ...f64Mul, ...at1(WK), ...f64Load, ...get(V0), ...f64Mul, ...f64Add, ...f64Sub,
      ...f64Store,
      ...get(J), ...i32(1), ...add, ...set(J),
      0x0c, 0,
    ]), 0x0b,
    0x0b,
  ];
  return [...vec([[...uleb(2), I32], [...uleb(2), F64]]), ...code];
}

function scaleBody(): number[] {
  const [X, M, F] = [0, 1, 2];
  const I = 3;
  const at = [...get(X), ...get(I), ...i32(8), ...mul, ...add];
  const code = [...countUp(I, get(M), [...at, ...at, ...f64Load, ...get(F), ...f64Mul, ...f64Store]), 0x0b];
  return [...vec([[...uleb(1), I32]]), ...code];
}

/** applyReflector(z, v, m, beta): s = Σ v_j·z_j, s = s·β, z_j −= s·v_j (j < m); z is the byte address of z[o]. */
function applyReflectorBody(): number[] {
  const [Z, V, M, BETA] = [0, 1, 2, 3];
  const [J, S] = [4, 5];
  const at = (base: number): number[] => [...get(base), ...get(J), ...i32(8), ...mul, ...add];
  const each = (body: number[]): number[] => countUp(J, get(M), body);
  const code = [
    ...f64Zero, ...set(S),
    ...each([...get(S), ...at(V), ...f64Load, ...at(Z), ...f64Load, ...f64Mul, ...f64Add, ...set(S)]),
    ...get(S), ...get(BETA), ...f64Mul, ...set(S),
    ...each([...at(Z), ...at(Z), ...f64Load, ...get(S), ...at(V), ...f64Load, ...f64Mul, ...f64Sub, ...f64Store]),
    0x0b,
  ];
  return [...vec([[...uleb(1), I32], [...uleb(1), F64]]), ...code];
}

/**
 * subtractOuter(out, n, lambdas, zs, count): out[i][j] −= (λ_k·z_k[i])·z_k[j] for every i, j < n, the terms k =
 * 0 … count − 1 in order per row (zs holds the count vectors of n values one after another).
 */
function subtractOuterBody(): number[] {
  const [OUT, N, LAMBDAS, ZS, COUNT] = [0, 1, 2, 3, 4];
  const [I, K, J, ROW, ZK] = [5, 6, 7, 8, 9];
  const F = 10;
  const code = [
    ...countUp(I, get(N), [
      ...get(OUT), ...get(I), ...get(N), ...mul, ...i32(8), ...mul, ...add, ...set(ROW),
      ...countUp(K, get(COUNT), [
        ...get(ZS), ...get(K), ...get(N), ...mul, ...i32(8), ...mul, ...add, ...set(ZK),
        // f = λ_k · z_k[i]
        ...get(LAMBDAS), ...get(K), ...i32(8), ...mul, ...add, ...f64Load,
        ...get(ZK), ...get(I), ...i32(8), ...mul, ...add, ...f64Load, ...f64Mul, ...set(F),
        ...countUp(J, get(N), [
          ...get(ROW), ...get(J), ...i32(8), ...mul, ...add,
          ...get(ROW), ...get(J), ...i32(8), ...mul, ...add, ...f64Load,
          ...get(F), ...get(ZK), ...get(J), ...i32(8), ...mul, ...add, ...f64Load, ...f64Mul, ...f64Sub, ...f64Store,
        ]),
      ]),
    ]),
    0x0b,
  ];
  return [...vec([[...uleb(5), I32], [...uleb(1), F64]]), ...code];
}

function assemble(): Uint8Array<ArrayBuffer> {
  const params = (...ts: number[]): number[] => [0x60, ...vec(ts.map((t) => [t])), ...vec([])];
  const type = section(1, vec([
    params(...Array.from({ length: 10 }, () => I32)),
    params(...Array.from({ length: 8 }, () => I32)),
    params(I32, I32, I32, I32, F64), // rank2Vector
    params(I32, I32, I32, I32, I32, I32), // updateColumn
    params(I32, I32, F64), // scale
    params(I32, I32, I32, F64), // applyReflector
    params(I32, I32, I32, I32, I32), // subtractOuter
  ]));
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x01]])); // memory, min 1 page
  const funcs = section(3, vec([[0], [1], [2], [3], [4], [5], [6]]));
  const names = ['product', 'rank2Step', 'rank2Vector', 'updateColumn', 'scale', 'applyReflector', 'subtractOuter'];
  const exports = section(7, vec(names.map((name, k) => [...str(name), 0x00, k])));
  const bodies = [productBody(), rank2StepBody(), rank2VectorBody(), updateColumnBody(), scaleBody(), applyReflectorBody(), subtractOuterBody()];
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
  rank2Vector: (p: number, v: number, wk: number, m: number, beta: number) => void;
  updateColumn: (w: number, n: number, o: number, m: number, v: number, wk: number) => void;
  scale: (x: number, m: number, f: number) => void;
  applyReflector: (z: number, v: number, m: number, beta: number) => void;
  subtractOuter: (out: number, n: number, lambdas: number, zs: number, count: number) => void;
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
    rank2Vector: instance.exports.rank2Vector as Kernels['rank2Vector'],
    updateColumn: instance.exports.updateColumn as Kernels['updateColumn'],
    scale: instance.exports.scale as Kernels['scale'],
    applyReflector: instance.exports.applyReflector as Kernels['applyReflector'],
    subtractOuter: instance.exports.subtractOuter as Kernels['subtractOuter'],
  };
}

/**
 * Writes observations [t0, t1) of every row i < n into `block`: row i's observation t goes to
 * block[at + i * stride + (t − t0)]. Called once per chunk of observations, in order; must write every value.
 */
export type BlockFill = (block: Float64Array, at: number, stride: number, t0: number, t1: number) => void;

/**
 * C = A·Bᵀ (n×n, row-major) for asset-major A and B (n rows of T observations), whose observations are written by
 * `fillA` / `fillB` straight into WebAssembly memory one chunk of TB observations at a time (no full copy of the
 * data: a fresh memory page costs more than the arithmetic on it, so the kernel memory stays at the n×n result
 * plus one n×TB chunk per operand, and the chunk stays in the L2 cache while all pairs of rows use it). With
 * `fillB` omitted, the symmetric Gram matrix A·Aᵀ (only its lower triangle is computed, then mirrored unless
 * `lowerOnly`: then the upper triangle is left 0).
 * Null when WebAssembly is unavailable (then nothing is filled).
 */
export function simdProduct(n: number, T: number, fillA: BlockFill, fillB?: BlockFill, lowerOnly = false): Float64Array | null {
  const np = (n + 3) & ~3;
  const cBytes = np * np * 8;
  const blockBytes = np * TB * 8;
  const k = simdKernels(cBytes + blockBytes * (fillB ? 2 : 1));
  if (!k) return null;
  const { heap, product } = k;
  const aAt = cBytes, bAt = fillB ? cBytes + blockBytes : aAt;
  // Rows n… of each chunk are zero (zero rows up to a multiple of 4 add nothing), written once per call.
  heap.fill(0, aAt / 8 + n * TB, aAt / 8 + np * TB);
  if (fillB) heap.fill(0, bAt / 8 + n * TB, bAt / 8 + np * TB);
  heap.fill(0, 0, np * np);
  // Many short kernel calls rather than one long one also let V8 switch from its baseline WebAssembly code to the
  // optimized code (there is no on-stack replacement for WebAssembly).
  for (let t0 = 0; t0 < T; t0 += TB) {
    const t1 = Math.min(T, t0 + TB);
    const len = t1 - t0, even = len + (len & 1); // an odd last chunk gets one zero observation
    fillA(heap, aAt / 8, TB, t0, t1);
    if (even > len) for (let i = 0; i < n; i++) heap[aAt / 8 + i * TB + len] = 0;
    if (fillB) {
      fillB(heap, bAt / 8, TB, t0, t1);
      if (even > len) for (let i = 0; i < n; i++) heap[bAt / 8 + i * TB + len] = 0;
    }
    for (let i0 = 0; i0 < np; i0 += 4) product(aAt, bAt, np, TB, 0, fillB ? 0 : 1, i0, i0 + 4, 0, even * 8);
  }
  const out = new Float64Array(n * n);
  if (fillB) {
    for (let i = 0; i < n; i++) out.set(heap.subarray(i * np, i * np + n), i * n);
  } else {
    for (let i = 0; i < n; i++) out.set(heap.subarray(i * np, i * np + i + 1), i * n); // lower triangle, row by row
    if (!lowerOnly) mirrorLower(out, n);
  }
  return out;
}

/** Copies the lower triangle of the n×n row-major matrix onto the upper one, in 32×32 tiles (cache-friendly). */
export function mirrorLower(m: Float64Array, n: number): void {
  const TS = 32;
  for (let i0 = 0; i0 < n; i0 += TS) {
    const i1 = Math.min(n, i0 + TS);
    for (let j0 = 0; j0 <= i0; j0 += TS) mirrorTile(m, n, i0, i1, j0, Math.min(i1, j0 + TS));
  }
}

function mirrorTile(m: Float64Array, n: number, i0: number, i1: number, j0: number, j1: number): void {
  for (let j = j0; j < j1; j++) {
    const rj = j * n;
    for (let i = Math.max(i0, j + 1); i < i1; i++) m[rj + i] = m[i * n + j];
  }
}
