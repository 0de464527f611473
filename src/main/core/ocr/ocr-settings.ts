import { checkOcrLanguages, DEFAULT_OCR_LANGUAGES, packagedOcrLanguages } from '../ingest/ocr/languages';
import type { SettingsRepo } from '../store/settings.repo';

/** Below this mean confidence (0-100) a page read by OCR is listed, not indexed. */
export const DEFAULT_OCR_MIN_CONFIDENCE = 60;

export interface OcrPreferences {
  /** Tesseract language codes pages are read with, e.g. `['eng']`. Default `['eng']`. */
  languages: string[];
  /** Confidence floor, 0-100. Default 60. */
  minConfidence: number;
}

const LANGUAGES_KEY = 'ocr.languages';
const MIN_CONFIDENCE_KEY = 'ocr.minConfidence';

/** The OCR preferences (settings table), checked against the languages installed with the app. */
export class OcrSettings {
  constructor(private readonly settings: SettingsRepo) {}

  get(): OcrPreferences {
    const packaged = new Set(packagedOcrLanguages().map((language) => language.code));
    const stored = this.settings.get<string[]>(LANGUAGES_KEY, [...DEFAULT_OCR_LANGUAGES]);
    // A language whose package is gone (an older install) is dropped rather than failing every page.
    const languages = Array.isArray(stored) ? stored.filter((code) => packaged.has(code)) : [];
    return {
      languages: languages.length ? languages : [...DEFAULT_OCR_LANGUAGES],
      minConfidence: this.settings.get<number>(MIN_CONFIDENCE_KEY, DEFAULT_OCR_MIN_CONFIDENCE),
    };
  }

  /** Changes what later OCR uses (documents already read keep their text). Throws VALIDATION for an unknown language. */
  update(changes: Partial<OcrPreferences>): OcrPreferences {
    if (changes.languages !== undefined) {
      const unique = [...new Set(changes.languages)];
      checkOcrLanguages(unique);
      this.settings.set(LANGUAGES_KEY, unique);
    }
    if (changes.minConfidence !== undefined) this.settings.set(MIN_CONFIDENCE_KEY, changes.minConfidence);
    return this.get();
  }
}
