#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so there is no build step between a checkout and `npm start`.
import { followSupervisor, heapCapFor, runWithHeapCap } from './heap-cap.js';

const capMb = heapCapFor();
if (capMb) {
  runWithHeapCap(capMb); // this process only supervises: it loads none of the CLI
} else {
  followSupervisor();
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
