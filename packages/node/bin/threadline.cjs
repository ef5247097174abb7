#!/usr/bin/env node
'use strict';
// npx threadline doctor [--strict] [--json] [--wait <ms>] -- node app.js (see docs/troubleshooting.md)
const { main } = require('../dist/cli/main.js');

main(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`threadline: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);
