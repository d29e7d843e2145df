#!/usr/bin/env node
// `advisor`: the offline analysis CLI. Registers tsx so the TypeScript sources run as they are (no build step).
import { register } from 'tsx/esm/api';

// `advisor … | head`: a closed pipe ends the output quietly.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });

register();
const { run } = await import('../src/main.ts');
process.exitCode = await run(process.argv.slice(2));
