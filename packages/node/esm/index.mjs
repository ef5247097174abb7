// ESM entry: the same single instance as the CommonJS build, so both module systems share state.
export { start } from '../dist/index.js';
