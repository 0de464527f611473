/**
 * The image formats Trove reads with OCR, and how each is recognised: by its
 * magic bytes first (a PNG is a PNG whatever it is called), then by its
 * extension or mime type.
 */
export const IMAGE_FORMATS = ['png', 'jpeg', 'tiff', 'webp', 'bmp', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

// prettier-ignore
export const IMAGE_EXTENSIONS: Record<string, ImageFormat> = {
  png: 'png', jpg: 'jpeg', jpeg: 'jpeg', jpe: 'jpeg', jfif: 'jpeg', tif: 'tiff', tiff: 'tiff',
  webp: 'webp', bmp: 'bmp', dib: 'bmp', gif: 'gif',
};

// prettier-ignore
export const IMAGE_MIMES: Record<string, ImageFormat> = {
  'image/png': 'png', 'image/jpeg': 'jpeg', 'image/pjpeg': 'jpeg', 'image/tiff': 'tiff', 'image/webp': 'webp',
  'image/bmp': 'bmp', 'image/x-bmp': 'bmp', 'image/x-ms-bmp': 'bmp', 'image/gif': 'gif',
};

/** The format the bytes announce, or undefined when they start like none of them. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  const at = (offset: number, ...expected: number[]): boolean =>
    bytes.length >= offset + expected.length && expected.every((b, i) => bytes[offset + i] === b);
  const ascii = (offset: number, text: string): boolean => at(offset, ...[...text].map((c) => c.charCodeAt(0)));
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (ascii(0, 'II*\u0000') || ascii(0, 'MM\u0000*')) return 'tiff';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  // "BM" alone is too weak (a text file may start with it): the header's reserved bytes are zero too.
  if (ascii(0, 'BM') && at(6, 0, 0, 0, 0) && bytes.length >= 26) return 'bmp';
  return undefined;
}
