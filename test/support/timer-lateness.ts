/**
 * Runs `work` while a host timer ticks every `intervalMs`, and reports the latest any tick fired.
 * The sandbox's CPU watchdog is such a timer: a run can only be stopped at a tick, so on a busy
 * machine (isolates and test workers sharing two cores) a run passes its holding by the interval
 * plus this lateness. Budget tests add it to their bound instead of assuming an idle machine.
 */
export async function withTimerLateness<T>(
  intervalMs: number,
  work: () => Promise<T>,
): Promise<{ result: T; latenessMs: number }> {
  let latenessMs = 0;
  let expected = performance.now() + intervalMs;
  const timer = setInterval(() => {
    const now = performance.now();
    latenessMs = Math.max(latenessMs, now - expected);
    expected = now + intervalMs;
  }, intervalMs);
  try {
    return { result: await work(), latenessMs };
  } finally {
    clearInterval(timer);
  }
}
