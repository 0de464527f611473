import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AppError } from '../../../../shared/errors';
import { languageDataDir } from './languages';

/**
 * tesseract.js, run inside the calling thread.
 *
 * tesseract.js normally starts a worker thread of its own and talks to it
 * with messages. We run its worker script here instead, in the parser
 * thread that renders the page, and talk to it through the same dispatcher
 * (`dispatchHandlers`) those messages reach. Two reasons:
 * - Tesseract's WebAssembly memory then belongs to this thread, so the
 *   parser pool's memory watchdog sees it in the thread's own reports
 *   (V8 counts wasm memory as the thread's `external` memory);
 * - there is no second thread to start, bundle or stop.
 *
 * Language data never comes from the network: we read `<code>.traineddata.gz`
 * from the installed `@tesseract.js-data/<code>` package and hand tesseract.js
 * the bytes, with its cache turned off (it would otherwise write the data
 * into the working folder). The adapter's `fetch` throws, so a code path we
 * did not foresee fails loudly instead of downloading.
 */

interface Packet {
  workerId: string;
  jobId: string;
  action: 'load' | 'loadLanguage' | 'initialize' | 'recognize';
  payload: unknown;
}
interface Reply {
  jobId: string;
  status: 'resolve' | 'reject' | 'progress';
  data: unknown;
}
interface WorkerScript {
  dispatchHandlers(packet: Packet, send: (reply: Reply) => void): void;
  setAdapter(adapter: Record<string, unknown>): void;
}

/** Tesseract's engine mode: the LSTM recogniser only (the models we ship have nothing else). */
const OEM_LSTM_ONLY = 1;

export interface Recognition {
  text: string;
  /** Mean word confidence, 0-100. */
  confidence: number;
}

const require = createRequire(import.meta.url);

let enginePromise: Promise<TesseractEngine> | undefined;

/** The thread's one engine (tesseract.js' worker script keeps its state in module globals). */
export function tesseractEngine(): Promise<TesseractEngine> {
  enginePromise ??= TesseractEngine.load().catch((error: unknown) => {
    enginePromise = undefined;
    throw error;
  });
  return enginePromise;
}

export class TesseractEngine {
  private loadedLanguages = '';
  private nextJob = 1;
  /** Called while a recognition runs; Tesseract reports as it goes, from inside its synchronous call. */
  private onProgress: (() => void) | undefined;

  private constructor(private readonly script: WorkerScript) {}

  static async load(): Promise<TesseractEngine> {
    const script = require('tesseract.js/src/worker-script/index.js') as WorkerScript;
    script.setAdapter({
      getCore: require('tesseract.js/src/worker-script/node/getCore.js') as unknown,
      gunzip: require('tesseract.js/src/worker-script/node/gunzip.js') as unknown,
      fetch: () => {
        throw new AppError(
          'INTERNAL',
          'OCR tried to download something; Trove reads its language data from disk only.',
        );
      },
      readCache: async () => undefined,
      writeCache: async () => undefined,
      deleteCache: async () => undefined,
      checkCache: async () => false,
    });
    const engine = new TesseractEngine(script);
    await engine.call('load', { options: { lstmOnly: true, logging: false } });
    return engine;
  }

  /** Loads and initialises these languages unless they already are. */
  async useLanguages(codes: readonly string[]): Promise<void> {
    const key = codes.join('+');
    if (key === this.loadedLanguages) return;
    const langs = await Promise.all(
      codes.map(async (code) => {
        const dir = languageDataDir(code);
        if (!dir) throw new AppError('VALIDATION', `The OCR language data for "${code}" is not installed.`);
        return { code, data: new Uint8Array(await readFile(join(dir, `${code}.traineddata.gz`))) };
      }),
    );
    await this.call('loadLanguage', { langs, options: { cacheMethod: 'none', gzip: true, lstmOnly: true } });
    await this.call('initialize', { langs: key, oem: OEM_LSTM_ONLY, config: {} });
    this.loadedLanguages = key;
  }

  /** Reads the text in an image file's bytes (we pass PGM). One call at a time. */
  async recognize(image: Uint8Array, onProgress?: () => void): Promise<Recognition> {
    this.onProgress = onProgress;
    try {
      const result = (await this.call('recognize', {
        image,
        options: {},
        output: { text: true, blocks: false },
      })) as { text?: string; confidence?: number };
      return { text: result.text ?? '', confidence: result.confidence ?? 0 };
    } finally {
      this.onProgress = undefined;
    }
  }

  private call(action: Packet['action'], payload: unknown): Promise<unknown> {
    const jobId = `ocr-${this.nextJob++}`;
    return new Promise((resolve, reject) => {
      this.script.dispatchHandlers({ workerId: 'trove', jobId, action, payload }, (reply) => {
        if (reply.jobId !== jobId && reply.status !== 'progress') return;
        if (reply.status === 'resolve') resolve(reply.data);
        else if (reply.status === 'reject') reject(new Error(`Tesseract could not ${action}: ${String(reply.data)}`));
        else this.onProgress?.();
      });
    });
  }
}
