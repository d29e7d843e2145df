// Vite/vitest `?raw` imports of sample files (tests only).
declare module '*.csv?raw' {
  const text: string;
  export default text;
}
