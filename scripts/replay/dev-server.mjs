// What starting `wrangler dev` needs wherever the real Worker is run from a Node process (the
// replay and the browser tests): a free port, a bounded wait for its health, and a fresh start
// when the port it was given is taken before it binds.
import { createServer } from "node:net";

/** A port free now; another process may still take it before wrangler binds it. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const PORT_TAKEN = /address already in use|EADDRINUSE/i;
const START_ATTEMPTS = 3;

/** wrangler dev could not bind a port it was given or chose. */
export class PortTaken extends Error {}

/**
 * Waits until `${url}/v1/health` answers 200. Throws PortTaken when wrangler reports its port
 * taken, an Error when it exited or did not answer within `timeoutMs`.
 */
export async function waitForHealth(url, { output, exitCode, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (PORT_TAKEN.test(output())) throw new PortTaken(`wrangler dev could not bind a port:\n${output().slice(-4000)}`);
    if (exitCode() !== null)
      throw new Error(`wrangler dev exited ${exitCode()} before it was ready:\n${output().slice(-4000)}`);
    try {
      // Bounded: whatever holds the port may accept and never answer.
      const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {}
    if (Date.now() > deadline)
      throw new Error(`wrangler dev did not answer on ${url} within ${timeoutMs / 1000} s:\n${output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Runs `launch` (which picks its own ports) again when wrangler found its port taken, up to three
 * attempts: a port found free can be taken before wrangler binds it (by another Worker started
 * beside this one, or by workerd's own sockets).
 */
export async function onFreshPorts(launch, onRetry) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch();
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !(error instanceof PortTaken)) throw error;
      onRetry?.(attempt + 1, START_ATTEMPTS);
    }
  }
}
