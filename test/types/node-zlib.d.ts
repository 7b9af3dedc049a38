// What the tests use of node:zlib (nodejs_compat) to build compressed fixtures; the Node type
// package is not loaded beside the Workers types.
declare module "node:zlib" {
  interface ZlibOptions {
    finishFlush?: number;
  }
  export const constants: { Z_FULL_FLUSH: number };
  export function gzipSync(data: Uint8Array): Uint8Array;
  export function deflateSync(data: Uint8Array): Uint8Array;
  export function deflateRawSync(data: Uint8Array, options?: ZlibOptions): Uint8Array;
  export function brotliCompressSync(data: Uint8Array): Uint8Array;
}
