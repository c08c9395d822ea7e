import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { blamedRunOf } from '../../../../../shared/sandbox/catastrophic-abort.ts';
import { ChildProcessSupervisor } from '../../../../../shared/sandbox/supervised/child-process-supervisor.ts';
import type {
  ScriptedAnswer,
  ScriptedMessage,
  ScriptedRequest,
} from '../../../../support/sandbox/scripted-child.ts';

const CHILD = fileURLToPath(new URL('../../../../support/sandbox/scripted-child.ts', import.meta.url));

const supervisors: ChildProcessSupervisor<ScriptedRequest | ScriptedAnswer, ScriptedMessage, unknown>[] = [];

function supervise(options: { answer?: unknown; isBlaming?: boolean } = {}) {
  const supervisor = new ChildProcessSupervisor<ScriptedRequest | ScriptedAnswer, ScriptedMessage, unknown>({
    modulePath: CHILD,
    parse: (raw) => raw as ScriptedMessage,
    isReady: (message) => message.type === 'ready',
    replyOf: (message) =>
      message.type === 'reply' ? { requestId: message.id, reply: message.value } : undefined,
    onMessage: (message, from) => {
      if (message.type === 'question') from.send({ type: 'answer', id: message.id, answer: options.answer });
    },
    ...(options.isBlaming ? { blame: blamedRunOf } : {}),
  });
  supervisors.push(supervisor);
  return supervisor;
}

const ask = (
  supervisor: ReturnType<typeof supervise>,
  id: string,
  act: ScriptedRequest['act'],
  guardMs?: number,
) => supervisor.request(id, { id, act, value: id }, guardMs === undefined ? {} : { guardMs });

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

describe('ChildProcessSupervisor', () => {
  it('starts the child on first use (or when warmed) and keeps it for later requests', async () => {
    const lazy = supervise();
    const warmed = supervise();

    const before = lazy.pid;
    warmed.warm();
    const first = await ask(lazy, 'a', 'echo');
    const pid = lazy.pid;
    const second = await ask(lazy, 'b', 'echo');

    expect(before).toBeUndefined();
    expect(warmed.isStarted).toBe(true);
    expect(warmed.pid).toBeTypeOf('number');
    expect([first, second]).toEqual([{ reply: 'a' }, { reply: 'b' }]);
    expect(lazy.pid).toBe(pid);
  });

  it("routes the child's other messages with the child, which can answer them", async () => {
    const supervisor = supervise({ answer: { acknowledged: true } });

    const outcome = await ask(supervisor, 'q', 'ask');

    expect(outcome).toEqual({ reply: { acknowledged: true } });
  });

  it('answers a request whose child dies of a heap overrun with MemoryLimitExceeded, then restarts', async () => {
    const supervisor = supervise();
    await ask(supervisor, 'warm-up', 'echo');
    const crashedPid = supervisor.pid;

    const crashed = await ask(supervisor, 'bomb', 'heap-abort');
    const next = await ask(supervisor, 'next', 'echo');

    expect(crashed).toEqual({ crashed: 'MemoryLimitExceeded' });
    expect(next).toEqual({ reply: 'next' });
    expect(supervisor.pid).not.toBe(crashedPid);
  });

  it('answers SandboxCrashed when the child dies mid-request with nothing said', async () => {
    const supervisor = supervise();

    const crashed = await ask(supervisor, 'abort', 'abort');

    expect(crashed).toEqual({ crashed: 'SandboxCrashed' });
  });

  it('reads only what the child wrote while requests were in flight', async () => {
    const supervisor = supervise();
    await ask(supervisor, 'earlier', 'talk-of-memory');

    const crashed = await ask(supervisor, 'later', 'abort');

    expect(crashed).toEqual({ crashed: 'SandboxCrashed' });
  });

  it('answers every request on a child killed from outside with SandboxCrashed', async () => {
    const supervisor = supervise();
    await ask(supervisor, 'warm-up', 'echo');
    const pid = supervisor.pid as number;

    const held = [ask(supervisor, 'h1', 'hang'), ask(supervisor, 'h2', 'hang')];
    process.kill(pid, 'SIGKILL');

    expect(await Promise.all(held)).toEqual([{ crashed: 'SandboxCrashed' }, { crashed: 'SandboxCrashed' }]);
  });

  it('gives the classified kind to the request the dying child names, SandboxCrashed to bystanders', async () => {
    const supervisor = supervise({ isBlaming: true });
    const bystander = ask(supervisor, 'bystander', 'hang');

    const culprit = await ask(supervisor, 'culprit', 'blame-abort');

    expect(culprit).toEqual({ crashed: 'MemoryLimitExceeded' });
    expect(await bystander).toEqual({ crashed: 'SandboxCrashed' });
  });

  it('kills the child of a request that outlives its guard and answers it TimeoutExceeded', async () => {
    const supervisor = supervise();
    await ask(supervisor, 'warm-up', 'echo');
    const wedgedPid = supervisor.pid as number;

    const hung = await ask(supervisor, 'hung', 'hang', 100);
    const next = await ask(supervisor, 'next', 'echo', 10_000);

    expect(hung).toEqual({ crashed: 'TimeoutExceeded' });
    expect(isAlive(wedgedPid)).toBe(false);
    expect(next).toEqual({ reply: 'next' });
  });

  it('stops the child, answers its requests in flight SandboxCrashed, and starts anew on next use', async () => {
    const supervisor = supervise();
    await ask(supervisor, 'warm-up', 'echo');
    const stoppedPid = supervisor.pid as number;
    const held = ask(supervisor, 'held', 'hang');

    await supervisor.stop();
    const afterStop = { isStarted: supervisor.isStarted, isAlive: isAlive(stoppedPid) };
    const next = await ask(supervisor, 'next', 'echo');

    expect(await held).toEqual({ crashed: 'SandboxCrashed' });
    expect(afterStop).toEqual({ isStarted: false, isAlive: false });
    expect(next).toEqual({ reply: 'next' });
  });
});
