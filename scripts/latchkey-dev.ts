// Runs the CLI from source with tsx (tests and development):
// node --require ./bin/threadpool.cjs --import tsx scripts/latchkey-dev.ts …
import { main } from '../src/cli/main.js';

await main(process.argv);
