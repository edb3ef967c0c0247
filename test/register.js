// Lets plain `node --import ./test/register.js file.ts` run TypeScript test infrastructure (the emulator CLI).
import { register } from 'tsx/esm/api';

register();
