export function freePort(): Promise<number>;
export class PortTaken extends Error {}
export function waitForHealth(
  url: string,
  options: { output: () => string; exitCode: () => number | null; timeoutMs: number },
): Promise<void>;
export function onFreshPorts<T>(launch: () => Promise<T>, onRetry?: (attempt: number, of: number) => void): Promise<T>;
