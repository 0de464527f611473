import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../../../../shared/errors';

/** An OCR language Trove knows how to load from an npm package installed with it. */
export interface OcrLanguage {
  /** Tesseract's code, e.g. `eng`. */
  code: string;
  /** Its name in English, for the settings screen. */
  name: string;
}

/**
 * Languages whose trained data ships as a `@tesseract.js-data/<code>` npm
 * package. Only the ones actually installed are offered (see
 * `packagedOcrLanguages`); English is a dependency of the app, so it always is.
 * Adding one is adding its package to package.json and a line here.
 */
const KNOWN_LANGUAGES: readonly OcrLanguage[] = [
  { code: 'eng', name: 'English' },
  { code: 'deu', name: 'German' },
  { code: 'fra', name: 'French' },
  { code: 'spa', name: 'Spanish' },
  { code: 'ita', name: 'Italian' },
  { code: 'nld', name: 'Dutch' },
  { code: 'por', name: 'Portuguese' },
];

/** The languages new documents are read with until the setting says otherwise. */
export const DEFAULT_OCR_LANGUAGES: readonly string[] = ['eng'];

/**
 * The LSTM-only, integer-quantised model of each package: the one
 * tesseract.js itself picks for its default engine (it would fetch the same
 * folder from a CDN; we never let it).
 */
const MODEL_FOLDER = '4.0.0_best_int';

const require = createRequire(import.meta.url);

/** The folder holding `<code>.traineddata.gz`, or null when that language's package is not installed. */
export function languageDataDir(code: string): string | null {
  if (!KNOWN_LANGUAGES.some((language) => language.code === code)) return null;
  try {
    const dir = join(dirname(require.resolve(`@tesseract.js-data/${code}/package.json`)), MODEL_FOLDER);
    return existsSync(join(dir, `${code}.traineddata.gz`)) ? dir : null;
  } catch {
    return null;
  }
}

/** The languages whose data is installed, in the order of KNOWN_LANGUAGES. */
export function packagedOcrLanguages(): OcrLanguage[] {
  return KNOWN_LANGUAGES.filter((language) => languageDataDir(language.code) !== null);
}

/** Throws VALIDATION unless every code is a packaged language (and there is at least one). */
export function checkOcrLanguages(codes: readonly string[]): void {
  if (codes.length === 0) throw new AppError('VALIDATION', 'Choose at least one OCR language.');
  const packaged = packagedOcrLanguages().map((language) => language.code);
  const missing = codes.filter((code) => !packaged.includes(code));
  if (missing.length > 0) {
    throw new AppError(
      'VALIDATION',
      `OCR cannot read ${missing.join(', ')}: its language data is not installed with Trove (installed: ${packaged.join(', ')}).`,
    );
  }
}
