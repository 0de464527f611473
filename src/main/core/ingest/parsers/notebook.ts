import { firstMarkdownHeading } from '../document-title';
import { DEFAULT_PARSE_LIMITS, type JsonLimits } from '../limits';
import type { ParsedDocument } from '../types';
import { fencedCode } from './fenced-code';
import { nestsDeeperThan, parseJson } from './json';
import { normaliseText } from './text';

/**
 * Jupyter notebooks (`.ipynb`) read as the notebook a person sees: its
 * Markdown cells as Markdown, its code cells as fenced code in the kernel's
 * language, and their text output under them. Read as JSON, a notebook was
 * its markup: every line of a cell a quoted string ending in "\n", and a
 * plot's output a base64 PNG of tens of thousands of characters, indexed as
 * words. Output is kept as text only, each cut at MAX_OUTPUT_CHARS (a
 * printed data frame can run to megabytes); pictures and HTML are left out.
 * A file that is not a notebook's JSON is read as JSON (parsers/json.ts).
 */
export function parseNotebook(text: string, limits: JsonLimits = DEFAULT_PARSE_LIMITS.json): ParsedDocument {
  const normalised = normaliseText(text);
  const cells = nestsDeeperThan(normalised, limits.maxDepth) ? null : notebookCells(normalised);
  if (!cells) return parseJson(text, limits);
  const language = cells.language;
  const parts = cells.list.flatMap((cell) => cellParts(cell, language));
  const markdown = parts.filter((part) => part.trim() !== '').join('\n\n');
  const title = firstMarkdownHeading(markdown);
  return title ? { text: markdown, format: 'markdown', title } : { text: markdown, format: 'markdown' };
}

/** Longest output kept per cell output, in characters. */
const MAX_OUTPUT_CHARS = 2_000;

interface Cell {
  cell_type?: unknown;
  source?: unknown;
  /** nbformat 3's code cells hold their code here. */
  input?: unknown;
  outputs?: unknown;
}

/** The cells and the kernel's language, or null when the JSON is no notebook. */
function notebookCells(text: string): { list: Cell[]; language: string } | null {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(notebook)) return null;
  const worksheets = Array.isArray(notebook.worksheets) ? notebook.worksheets : [];
  const v3 = worksheets.flatMap((sheet) => (isRecord(sheet) && Array.isArray(sheet.cells) ? sheet.cells : []));
  const list = (Array.isArray(notebook.cells) ? notebook.cells : v3).filter(isRecord) as Cell[];
  if (list.length === 0 && !('nbformat' in notebook)) return null;
  const metadata = isRecord(notebook.metadata) ? notebook.metadata : {};
  const info = isRecord(metadata.language_info) ? metadata.language_info : {};
  const kernel = isRecord(metadata.kernelspec) ? metadata.kernelspec : {};
  const language = [info.name, kernel.language].find((name): name is string => typeof name === 'string') ?? '';
  return { list, language: /^[\w+#-]+$/.test(language) ? language.toLowerCase() : '' };
}

function cellParts(cell: Cell, language: string): string[] {
  const source = joined(cell.source ?? cell.input);
  if (cell.cell_type === 'markdown') return [source];
  if (cell.cell_type !== 'code') return [source];
  const code = fencedCode(withoutTrailingNewlines(source), language);
  const outputs = Array.isArray(cell.outputs) ? cell.outputs.filter(isRecord).map(outputText) : [];
  return [code, ...outputs.map((output) => fencedCode(output))];
}

/** An output's text: a stream, a result's or display's `text/plain`, an error's name and message. */
function outputText(output: Record<string, unknown>): string {
  const data = isRecord(output.data) ? output.data : {};
  const text =
    output.output_type === 'error'
      ? [output.ename, output.evalue].filter((part) => typeof part === 'string').join(': ')
      : joined(output.text ?? data['text/plain']);
  // Cut before anything else is done to it: an output can run to megabytes.
  const cut = text.length > 2 * MAX_OUTPUT_CHARS ? text.slice(0, 2 * MAX_OUTPUT_CHARS) : text;
  const plain = withoutTrailingNewlines(cut.replace(TERMINAL_CODES, ''));
  return plain.length > MAX_OUTPUT_CHARS || cut !== text ? `${plain.slice(0, MAX_OUTPUT_CHARS)}…` : plain;
}

/** Terminal colours and cursor moves (a traceback's, a progress bar's): ESC [ ... letter. They are no text. */
const TERMINAL_CODES = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*[A-Za-z]`, 'g');

/** A cell's source or an output's text: one string, or a list of lines as nbformat writes it. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.filter((line) => typeof line === 'string').join('') : '';
}

/** `text` without the line breaks it ends with; a loop, as `/\n+$/` backtracks over every run of them. */
function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x0a) end--;
  return text.slice(0, end);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
