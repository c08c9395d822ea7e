import { catastrophicLine } from '../../../shared/sandbox/catastrophic-abort.ts';

/**
 * A child process for the supervisor's unit tests, scripted by each request's `act`: it answers,
 * never answers, dies the way V8 dies of a heap overrun (its fatal line, then SIGABRT), aborts
 * with nothing said, names the request that killed it (as the sandbox worker does), asks the
 * parent a question and replies with the parent's answer, or mentions memory on stderr and answers.
 */
export type ScriptedRequest = {
  readonly id: string;
  readonly act: 'echo' | 'hang' | 'heap-abort' | 'abort' | 'blame-abort' | 'ask' | 'talk-of-memory';
  readonly value?: unknown;
};
export type ScriptedAnswer = { readonly type: 'answer'; readonly id: string; readonly answer: unknown };
export type ScriptedMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'reply'; readonly id: string; readonly value: unknown }
  | { readonly type: 'question'; readonly id: string };

const send = (message: ScriptedMessage) => process.send?.(message);

function die(stderr: string): void {
  process.stderr.write(stderr, () => process.abort());
}

process.on('message', (message: ScriptedRequest | ScriptedAnswer) => {
  if ('type' in message) {
    send({ type: 'reply', id: message.id, value: message.answer });
    return;
  }
  switch (message.act) {
    case 'echo':
      send({ type: 'reply', id: message.id, value: message.value ?? null });
      return;
    case 'hang':
      return;
    case 'talk-of-memory':
      process.stderr.write('warning: the cache is out of memory, evicting\n', () =>
        send({ type: 'reply', id: message.id, value: message.value ?? null }),
      );
      return;
    case 'heap-abort':
      return die('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n');
    case 'abort':
      return die('');
    case 'blame-abort':
      return die(catastrophicLine({ message: 'Catastrophic out-of-memory error', runId: message.id }));
    case 'ask':
      send({ type: 'question', id: message.id });
      return;
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
