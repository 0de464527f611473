// bmp-js ships no types; only its decoder is used (bmp-image.ts).
declare module 'bmp-js' {
  /** Pixels as A, B, G, R bytes, rows top to bottom (the alpha byte is 0 for 24-bit files). */
  export function decode(buffer: Buffer): { width: number; height: number; data: Buffer };
}
