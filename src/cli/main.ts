/**
 * @module cli/main
 *
 * The `latchkey` command. Errors print one line naming the problem and exit non-zero.
 */
import { Command, CommanderError } from 'commander';
import { registerKeys } from './commands/keys.js';
import { registerServe } from './commands/serve.js';
import { registerTenant } from './commands/tenant.js';
import { registerUsers } from './commands/users.js';

export function buildProgram(): Command {
  const program = new Command('latchkey')
    .description(
      'Self-hosted OAuth 2.0 / OpenID Connect server compatible with Auth0 password grants',
    )
    .version('0.1.0')
    .showSuggestionAfterError(false)
    .exitOverride();
  registerServe(program);
  registerTenant(program);
  registerUsers(program);
  registerKeys(program);
  return program;
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}

/**
 * Output that cannot be written (a closed pipe such as `| head`, a full disk) is one line on
 * stderr and exit code 1, not an unhandled `error` event with a stack trace.
 */
function guardStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    process.stderr.write(`latchkey: cannot write the output: ${err.code ?? err.message}\n`);
    process.exit(1);
  });
}

/** Runs the CLI with `argv` (as in `process.argv`). */
export async function main(argv: string[]): Promise<void> {
  guardStdout();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its one-line message (or the help / version text)
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`latchkey: ${oneLine(err)}\n`);
    process.exitCode = 1;
  }
}
