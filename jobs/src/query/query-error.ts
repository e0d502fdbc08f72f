/**
 * A mistake in what the user asked for (unknown job, bad parameter, missing lake, bad option): the
 * CLI prints its message and exits 1, without a stack trace.
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}
