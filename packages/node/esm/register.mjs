// `node --import @threadline/node/register app.mjs`: starts Threadline before the app's graph loads.
import '../bundle/register.cjs';
