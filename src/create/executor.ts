/**
 * create's public surface: the runner and the shared types. The work is in runner.ts (the loop and the
 * partial-failure policy), preflight.ts / preflight-checks.ts and steps/ (one module per step).
 */
export { runCreate } from './runner.js';
export * from './types.js';
