// Vite serves any file as a string with `?raw` (used for fixture feeds).
declare module "*?raw" {
  const content: string;
  export default content;
}
