#!/usr/bin/env node
// The command line lives in the compiled package; this file only hands it the arguments.
require('../dist/cli.js').main(process.argv.slice(2));
