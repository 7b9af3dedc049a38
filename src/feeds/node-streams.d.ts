// The two node: APIs the fetcher uses under nodejs_compat (brotli has no DecompressionStream
// format in workerd). Declared here so the Node type package need not load beside the
// Workers types.
declare module "node:zlib" {
  export function createBrotliDecompress(): import("node:stream").Duplex;
  export function createGunzip(): import("node:stream").Duplex;
  export function createInflate(): import("node:stream").Duplex;
  export function createInflateRaw(): import("node:stream").Duplex;
}
declare module "node:stream" {
  // biome-ignore lint/complexity/noStaticOnlyClass: the shape of node:stream's Duplex, declared, not written
  export class Duplex {
    static toWeb(duplex: Duplex): { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
  }
}
