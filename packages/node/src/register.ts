/**
 * `node --require @threadline/node/register app.js`: starts Threadline from the environment
 * (`OTEL_*` variables) before the app's first line runs.
 */
import { start } from './start';

start();
