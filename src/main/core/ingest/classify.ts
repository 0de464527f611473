import { extensionOf } from './file-types';
import type { ContentType, ParsedDocument } from './types';

export interface ClassifyHints {
  fileName?: string;
  mimeType?: string;
}

/** Languages whose files are data rather than programs. */
const DATA_LANGUAGES = new Set(['json', 'csv', 'xml', 'yaml', 'toml', 'ini']);
const TRANSCRIPT_EXTENSIONS = new Set(['vtt', 'srt']);
/** Only the start of a document is examined: enough to decide, and constant time for huge files. */
const SAMPLE_CHARS = 50_000;

const SPEAKER_LINE =
  /^\s*(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?\s*[-–]?\s*)?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}\s*(?:\(\d{1,2}:\d{2}(?::\d{2})?\))?:\s+\S/;
const TIMESTAMP = /\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\b/;
const CUE_TIMING = /\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}\s+-->\s+\d/;
const NUMBERED_STEP = /^\s*(?:\d{1,2}[.)]\s+\S|step\s+\d+\b)/i;
const STEP_WORD = /\bstep\s+\d+\b/gi;
const IMPERATIVE =
  /^\s*(?:[-*+]\s+|\d{1,2}[.)]\s+|step\s+\d+\s*[:.)-]\s*)?(?:install|run|click|open|create|add|copy|type|select|navigate|configure|set|download|go to|enter|save|restart|clone|edit|paste|press|choose|enable|check)\b/i;
const TUTORIAL_TITLE = /\b(?:tutorial|how to|getting started|quick ?start|walkthrough|step[- ]by[- ]step|guide to)\b/i;
const BULLET = /^\s*(?:[-*+•]|\[[ x]\])\s+\S/;
const CODE_LINE =
  /(?:[;{}]\s*$|^\s*(?:def|class|function|import|from|return|const|let|var|if|for|while|public|private|#include|package|func|fn)\b)/;

interface Features {
  lines: number;
  headings: number;
  fencedChars: number;
  chars: number;
  tableLines: number;
  bulletLines: number;
  shortBulletLines: number;
  speakerLines: number;
  timestampLines: number;
  /** SubRip / WebVTT cue timings (`00:00:01,000 --> 00:00:04,000`). */
  cueLines: number;
  numberedSteps: number;
  stepWords: number;
  imperatives: number;
  codeLines: number;
}

/**
 * Decides what kind of text a document is, from cheap line features: the
 * share of fenced code, code-looking lines, table rows and bullets, numbered
 * steps and imperative openings, speaker labels with timestamps. Used only to
 * pick chunk sizes, so a near miss costs little.
 */
export function classifyContent(parsed: ParsedDocument, hints: ClassifyHints = {}): ContentType {
  const ext = hints.fileName ? extensionOf(hints.fileName) : '';
  if (TRANSCRIPT_EXTENSIONS.has(ext) || hints.mimeType === 'text/vtt') return 'transcript';
  if (parsed.format === 'table') return 'data';
  if (parsed.format === 'code') return DATA_LANGUAGES.has(parsed.language ?? '') ? 'data' : 'code';

  const f = features(parsed.text.slice(0, SAMPLE_CHARS));
  if (f.lines === 0) return f.fencedChars > 0 ? 'code' : 'other';
  const ratio = (count: number): number => count / f.lines;
  const title = `${parsed.title ?? ''} ${hints.fileName ?? ''}`;

  if (ratio(f.cueLines) >= 0.2) return 'transcript';
  if (ratio(f.speakerLines) >= 0.4 && (ratio(f.timestampLines) >= 0.2 || ratio(f.speakerLines) >= 0.6))
    return 'transcript';
  if (f.fencedChars / f.chars >= 0.6 || ratio(f.codeLines) >= 0.5) return 'code';
  if (ratio(f.tableLines) >= 0.5) return 'data';

  const stepSignals = f.numberedSteps + f.stepWords;
  const tutorialScore =
    (stepSignals >= 3 ? 2 : 0) +
    (f.imperatives >= 3 ? 1 : 0) +
    (TUTORIAL_TITLE.test(title) ? 2 : 0) +
    (f.fencedChars > 0 ? 1 : 0);
  if (tutorialScore >= 3) return 'tutorial';

  if (
    ratio(f.bulletLines) >= 0.5 &&
    f.shortBulletLines >= f.bulletLines * 0.7 &&
    f.headings <= Math.max(3, f.lines / 10)
  ) {
    return 'notes';
  }
  if (f.headings >= 2 || (parsed.format === 'markdown' && f.headings >= 1 && f.chars > 1500)) return 'documentation';
  if (f.chars < 2000 && ratio(f.bulletLines) >= 0.3) return 'notes';
  return 'other';
}

function features(text: string): Features {
  const f: Features = {
    lines: 0,
    headings: 0,
    fencedChars: 0,
    chars: Math.max(1, text.length),
    tableLines: 0,
    bulletLines: 0,
    shortBulletLines: 0,
    speakerLines: 0,
    timestampLines: 0,
    cueLines: 0,
    numberedSteps: 0,
    stepWords: (text.match(STEP_WORD) ?? []).length,
    imperatives: 0,
    codeLines: 0,
  };
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      f.fencedChars += line.length + 1;
      continue;
    }
    if (inFence) {
      f.fencedChars += line.length + 1;
      continue;
    }
    if (line.trim() === '') continue;
    f.lines++;
    if (/^#{1,6}\s/.test(line)) f.headings++;
    if (/^\s*\|.*\|\s*$/.test(line)) f.tableLines++;
    if (BULLET.test(line)) {
      f.bulletLines++;
      if (line.length <= 100) f.shortBulletLines++;
    }
    if (SPEAKER_LINE.test(line)) f.speakerLines++;
    if (TIMESTAMP.test(line)) f.timestampLines++;
    if (CUE_TIMING.test(line)) f.cueLines++;
    if (NUMBERED_STEP.test(line)) f.numberedSteps++;
    if (IMPERATIVE.test(line)) f.imperatives++;
    if (CODE_LINE.test(line)) f.codeLines++;
  }
  return f;
}
