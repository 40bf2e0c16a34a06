// Sizes libuv's threadpool before it starts: `node --require ./bin/threadpool.cjs …`, or
// `require('./threadpool.cjs')` as the first line of a CommonJS entry (bin/latchkey.cjs).
//
// Password hashes (argon2id, bcrypt) and token signatures run on libuv's pool, whose size is read
// from UV_THREADPOOL_SIZE once, when the pool first starts (default 4). An ES module entry starts
// it before its first line runs (the loader reads files through it), so the size is set here, in
// CommonJS, first. When UV_THREADPOOL_SIZE is unset it becomes cores + 3: room for the default
// hash pool of cores + 1 jobs plus two threads that signatures and file reads never have to wait
// for (docs/adr/0012, 0015). A value the operator set is left as it is.
'use strict';

const { availableParallelism } = require('node:os');

/** libuv's own limit on UV_THREADPOOL_SIZE. */
const LIBUV_MAX_THREADS = 1024;

/** The pool size Latchkey runs with on `cores` cores when UV_THREADPOOL_SIZE is unset. */
function defaultThreadpoolSize(cores) {
  return Math.min(Math.max(4, cores + 3), LIBUV_MAX_THREADS);
}

if (!process.env.UV_THREADPOOL_SIZE) {
  process.env.UV_THREADPOOL_SIZE = String(defaultThreadpoolSize(availableParallelism()));
}

module.exports = { defaultThreadpoolSize };
