#!/usr/bin/env node
// Entry point of the `latchkey` command: runs the compiled CLI (npm run build makes dist/).
import { main } from '../dist/cli/main.js';

await main(process.argv);
