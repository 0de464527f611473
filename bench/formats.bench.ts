/**
 * New formats (npm run bench:formats), issue 17: how long the parsers take
 * on large generated files, and what they hold while they do, one at a time
 * on this thread (the app runs them in a parser thread, under its time and
 * memory limits).
 *
 *   npm run bench:formats
 *   options: --rows=200000 (XLSX) --ods-rows=100000 --slides=500 --chapters=300 --mbox-mb=200
 *
 * (An ODS of 200,000 such rows has a 67 MB content.xml, over the 64 MB a
 * zip part may expand to, and is skipped as the limit says.)
 *
 * Reported per file: its size, parse time, characters of text, and what
 * the V8 heap holds more after the parse than before (the text and what
 * the parser keeps). Peak memory is not measured here: the parsers run
 * synchronously, so a sampler cannot see their peak; the parser thread's
 * watchdog bounds it in the app. The mailbox line is the
 * connector's part (split and outline every message, on the main thread):
 * megabytes per second.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentContent } from '../src/main/core/connectors/types';
import { DEFAULT_PARSE_LIMITS } from '../src/main/core/ingest/limits';
import { readMbox } from '../src/main/core/connectors/fs/mail/mbox-reader';
import { outlineMessage } from '../src/main/core/connectors/fs/mail/message-outline';
import { parseContent } from '../src/main/core/ingest/parse';
import { makeEpub, makeOdf, makePptx, makeXlsx, writeMailbox } from '../test/fixtures/formats';
import { benchArgs } from './lib/args';
import { loadAverage } from './lib/ingest-run';

const args = benchArgs();
const rows = Number(args.get('rows') ?? 200_000);
const odsRowCount = Number(args.get('ods-rows') ?? 100_000);
const slides = Number(args.get('slides') ?? 500);
const chapters = Number(args.get('chapters') ?? 300);
const mboxMb = Number(args.get('mbox-mb') ?? 200);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function measure(label: string, fileName: string, bytes: Uint8Array): Promise<void> {
  const content: DocumentContent = { kind: 'bytes', bytes, fileName, mimeType: 'application/octet-stream' };
  // Start from a collected heap, so the figures are the parse's and not what making the file left behind.
  (globalThis as { gc?: () => void }).gc?.();
  const heap = process.memoryUsage().heapUsed;
  const started = performance.now();
  const parsed = await parseContent(content, { maxBytes: Number.MAX_SAFE_INTEGER });
  const ms = performance.now() - started;
  console.log(
    `${label.padEnd(34)} ${mb(bytes.byteLength).padStart(9)}  ${(ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(
      parsed.text.length / 1000,
    )
      .toLocaleString('en')
      .padStart(7)}k chars  heap held +${mb(process.memoryUsage().heapUsed - heap)}`,
  );
}

console.log(`bench:formats, ${new Date().toISOString().slice(0, 10)}, load average ${loadAverage()}`);
const table = (n: number): unknown[][] => [
  ['Id', 'Customer', 'Amount', 'Date', 'Note'],
  ...Array.from({ length: n }, (_, i) => [
    i,
    `Customer ${i}`,
    { formula: `C${i}*2`, result: i * 1.5 },
    new Date(Date.UTC(2026, 0, 1 + (i % 300))),
    'Paid on time',
  ]),
];
await measure(
  `XLSX, ${rows.toLocaleString('en')} rows x 5`,
  'orders.xlsx',
  await makeXlsx([{ name: 'Orders', rows: table(rows) }]),
);
const cell = (text: string): string => `<table:table-cell><text:p>${text}</text:p></table:table-cell>`;
const odsRows = Array.from(
  { length: odsRowCount },
  (_, i) =>
    `<table:table-row>${cell(String(i))}${cell(`Customer ${i}`)}${cell(String(i * 1.5))}${cell('2026-01-01')}${cell('Paid on time')}</table:table-row>`,
);
await measure(
  `ODS, ${odsRowCount.toLocaleString('en')} rows x 5`,
  'orders.ods',
  makeOdf('ods', `<table:table table:name="Orders">${odsRows.join('')}</table:table>`),
);
await measure(
  `PPTX, ${slides} slides with notes`,
  'deck.pptx',
  await makePptx(
    Array.from({ length: slides }, (_, i) => ({
      title: `Slide title ${i}`,
      body: `Point one of slide ${i}.\nPoint two.`,
      notes: `Say something about ${i}.`,
    })),
  ),
);
await measure(
  `EPUB, ${chapters} chapters of ~6 KB`,
  'book.epub',
  makeEpub({
    title: 'Bench book',
    author: 'Bench',
    chapters: Array.from({ length: chapters }, (_, i) => ({
      file: `c${i}.xhtml`,
      label: `Chapter ${i}`,
      body: `<p>${'The orchard was quiet in the morning. '.repeat(150)}</p>`,
    })),
  }),
);

const dir = mkdtempSync(join(tmpdir(), 'trove-bench-formats-'));
try {
  const path = join(dir, 'archive.mbox');
  await writeMailbox(path, Math.ceil((mboxMb * 1024 * 1024) / 1_430_000));
  const size = statSync(path).size;
  const started = performance.now();
  let messages = 0;
  let attachments = 0;
  for await (const found of readMbox(path, { from: 0, to: size, maxMessageBytes: 25 * 1024 * 1024 })) {
    messages++;
    if (found.message)
      attachments += (await outlineMessage(found.message, DEFAULT_PARSE_LIMITS.mail)).attachments.length;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `MBOX split + outline (connector)    ${mb(size).padStart(9)}  ${seconds.toFixed(2).padStart(6)} s  ${messages} messages, ${attachments} attachments, ${(size / 1024 / 1024 / seconds).toFixed(0)} MB/s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
