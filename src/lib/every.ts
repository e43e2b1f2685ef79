/**
 * Runs `work` every `everyMs`, never two at once: a tick that is still going when the next is due
 * (a slow database, a long list) makes the next one skip instead of piling up. Failures go to
 * `onError`; the timer does not keep the process alive. Returns the stop.
 */
export function every(everyMs: number, work: () => Promise<void>, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work().catch(onError).finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
