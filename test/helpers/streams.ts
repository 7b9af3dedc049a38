/** Serves `bytes` in 64 KiB chunks, on demand, and counts how many bytes the reader pulled. */
export function countingStream(bytes: Uint8Array): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      const next = bytes.subarray(offset, offset + 64 * 1024);
      offset += next.byteLength;
      controller.enqueue(next);
    },
  });
  return { stream, pulled: () => offset };
}
