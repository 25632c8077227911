/**
 * The pause between a background loop's polls, which its own instance can cut short (work
 * was just queued here; other instances find it at their next poll).
 */
export function wakeablePause(): { pause(ms: number): Promise<void>; wake(): void } {
  let wakeUp: (() => void) | undefined;
  return {
    pause: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    wake: () => wakeUp?.(),
  };
}
