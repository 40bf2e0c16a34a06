#!/usr/bin/env node
// Entry point of the `latchkey` command: sizes the threadpool (CommonJS, so that it happens
// before the pool starts: see threadpool.cjs), then runs the compiled CLI (npm run build makes
// dist/).
'use strict';

require('./threadpool.cjs');

import('../dist/cli/main.js').then(({ main }) => main(process.argv));
