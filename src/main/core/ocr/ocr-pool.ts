import { ParserPool } from '../ingest/parser-pool';
import { startOcrWorker } from '../ingest/worker-entry';
import type { Logger } from '../logger';
import { logThreadOutput } from '../workers/thread-output';

/** Longest one page may take, however it progresses (a 500 dpi poster on a busy machine). */
const OCR_PAGE_MAX_MS = 180_000;
/** Longest a page may go without Tesseract reporting progress. */
const OCR_STALL_MS = 60_000;
/**
 * Pages one thread reads before a fresh one takes over. Rendering a page
 * leaves tens of MB behind in native memory (pdf.js, Skia), which only the
 * thread's end returns; starting a thread with Tesseract loaded costs about
 * a second, a few percent of eight pages.
 */
const OCR_PAGES_PER_THREAD = 8;
/**
 * V8 heap limit of the OCR thread, MB. Pixels live outside the heap; what
 * the heap holds per page (pdf.js' parsed document, a copy of the file)
 * is garbage after the page, and V8 collects it sooner under a lower
 * limit instead of letting the heap grow page after page.
 */
const OCR_HEAP_MB = 256;

/**
 * The parser pool that reads pages with OCR, apart from the one that parses
 * and chunks text documents: a page keeps its thread busy for seconds, and
 * text documents must never queue behind it. One thread, so one page at a
 * time; started at the lowest CPU priority (startOcrWorker), so a text sync
 * or a search running at the same time gets the CPU first. The same memory
 * watchdog and limits apply (768 MB per thread, Tesseract's WebAssembly
 * memory included); a page over them fails alone. What Tesseract prints
 * about a page goes to the log.
 */
export function createOcrPool(logger: Logger): ParserPool {
  return new ParserPool({
    onThreadOutput: logThreadOutput(logger),
    size: 1,
    startWorker: startOcrWorker,
    timeoutMs: OCR_STALL_MS,
    maxJobMs: OCR_PAGE_MAX_MS,
    recycleAfterJobs: OCR_PAGES_PER_THREAD,
    maxMemoryMb: OCR_HEAP_MB,
  });
}
