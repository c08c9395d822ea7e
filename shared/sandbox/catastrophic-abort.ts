import { writeSync } from 'node:fs';
import type { CatastrophicFailure } from './isolate-pool.ts';

const LINE_PREFIX = 'gradiant-sandbox: isolated-vm lost control of an isolate';
const BLAMED_RUN = new RegExp(`${LINE_PREFIX}: [^\\n]*\\(run ([\\w-]+)\\)`);

/**
 * Ends the process the way V8 says it must, after one stderr line for whoever supervises it.
 * Synchronous: the process aborts on the next line and an asynchronous write would be lost.
 */
export function abortOnCatastrophicError(failure: CatastrophicFailure): never {
  writeSync(2, catastrophicLine(failure));
  process.abort();
}

/**
 * isolated-vm's own message (fixed text, never plugin data), which the crash classifier reads,
 * and the run that was in the isolate, so a supervisor with several runs in flight can blame it.
 */
export function catastrophicLine(failure: CatastrophicFailure): string {
  const run = failure.runId === undefined ? '' : ` (run ${failure.runId})`;
  return `\n${LINE_PREFIX}: ${failure.message}${run}; aborting\n`;
}

/** The run a dying process named in its stderr, if it named one. */
export function blamedRunOf(stderrTail: string): string | undefined {
  return BLAMED_RUN.exec(stderrTail)?.[1];
}
