/**
 * @module users-import/problems
 *
 * Problems found in a users file, each located by a field path such as `[42].email`, and the
 * error that carries them: a one-line summary as its message and one line per problem
 * (`users.json: [42].email: must be an email address`), the first {@link MAX_LISTED} only.
 */
import { clip } from '../shared/text.js';
import { formatPath, type PathSegment } from '../tenant/tenant-file-error.js';

/** How many problems an error lists; the summary still counts them all. */
export const MAX_LISTED = 20;

/** One problem: where (`[index, field, …]`, empty for the whole file) and what. */
export interface Problem {
  path: PathSegment[];
  problem: string;
}

/** Collects problems in the order they are found. */
export class Problems {
  readonly list: Problem[] = [];

  /** Records a problem; returns undefined so that a parser can `return problems.add(…)`. */
  add(path: PathSegment[], problem: string): undefined {
    this.list.push({ path, problem });
    return undefined;
  }

  get size(): number {
    return this.list.length;
  }

  /** The problems ordered by row (stable: a row's problems keep the order they were found). */
  byRow(): Problem[] {
    const row = (path: readonly PathSegment[]) => (typeof path[0] === 'number' ? path[0] : -1);
    return [...this.list].sort((a, b) => row(a.path) - row(b.path));
  }
}

/** `<source>: <path>: <problem>` on one line (the path is left out when empty). */
export function formatProblem(source: string, { path, problem }: Problem): string {
  const text = clip(problem.replace(/\s*[\r\n]+\s*/g, ' ').trim(), 300);
  return [source, clip(formatPath(path), 200), text].filter((part) => part !== '').join(': ');
}

function summaryOf(source: string, count: number, rows: number): string {
  const noun = count === 1 ? 'problem' : 'problems';
  const listed = count > MAX_LISTED ? ` (the first ${MAX_LISTED} are listed)` : '';
  return `${source}: ${count} ${noun} in ${rows} users; nothing was imported${listed}`;
}

/**
 * A users file that cannot be imported; nothing was written. `message` is one line: the
 * problem itself for a file-level problem (unreadable, not JSON, unknown connection), else a
 * summary; `lines` then holds the first {@link MAX_LISTED} problems, one line each.
 */
export class UsersImportError extends Error {
  readonly lines: string[];

  /** A problem with the file as a whole (or the command's options). */
  static ofFile(source: string, problem: string): UsersImportError {
    return new UsersImportError(formatProblem(source, { path: [], problem }), [], [problem]);
  }

  /** Problems with rows of a file of `rows` users. */
  static ofRows(source: string, problems: readonly Problem[], rows: number): UsersImportError {
    const lines = problems.slice(0, MAX_LISTED).map((p) => formatProblem(source, p));
    return new UsersImportError(
      summaryOf(source, problems.length, rows),
      lines,
      problems.map((p) => formatProblem('', p)),
    );
  }

  private constructor(
    message: string,
    lines: string[],
    /** Every problem, without the file name (for tests and callers). */
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'UsersImportError';
    this.lines = lines;
  }
}
