import type { ContenderResult } from './embed-contenders';
import type { LoopDelay } from './loop-delay';
import type { ResponsivenessResult } from './responsiveness-run';
import type { LatencySummary } from './search-load';

/** Issue 13's targets, for a 2-core machine and the stand-in of the default model. */
export const TARGETS = {
  indexingHybridP95Ms: 100,
  idleHybridP95Ms: 25,
  allEmbeddedSeconds: 120,
  peakRssMb: 800,
  ofCeiling: 0.9,
} as const;

export interface CorpusFacts {
  pages: number;
  bytes: number;
  /** Real tokens of every chunk's embedding text (after truncation, special tokens included). */
  tokens: number;
}

const met = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');
const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
const lat = (s: LatencySummary): string =>
  `p50 ${s.p50.toFixed(1).padStart(6)} ms   p95 ${s.p95.toFixed(1).padStart(6)} ms   max ${s.max.toFixed(1).padStart(7)} ms   (n=${s.count})`;
const delay = (d: LoopDelay): string =>
  `p50 ${d.p50.toFixed(1)} ms   p99 ${d.p99.toFixed(1)} ms   max ${d.max.toFixed(1)} ms`;

/** The printed report, with the targets and whether they were met. */
export function formatResponsiveness(
  r: ResponsivenessResult,
  corpus: CorpusFacts,
  ceiling: { result: ContenderResult; tokens: number; texts: number } | null,
  model: string,
): string {
  const seconds = r.allEmbeddedMs / 1000;
  const tokensPerSecond = corpus.tokens / seconds;
  const cpuSeconds = (r.cpu.userMs + r.cpu.systemMs) / 1000;
  const peak = Math.max(r.rss.sampledPeakBytes, r.rss.maxBytes);
  const lines = [
    `  model            ${model}`,
    `  model ready      ${(r.modelReadyMs / 1000).toFixed(1)} s (download from the fake hub, verify, load; before the folder is added)`,
    `  folder           ${corpus.pages} Markdown pages, ${(corpus.bytes / 1e6).toFixed(1)} MB -> ${r.chunks} chunks (vectors ${r.vectors}), ${corpus.tokens.toLocaleString('en-US')} tokens to embed`,
    `  documents        ${Object.entries(r.documents)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
    '',
    `  hybrid search while indexing, one due every ${r.indexing.intervalMs} ms (latency from when it was due):`,
    `                   ${lat(r.indexing)}`,
    `                   ${r.indexing.empty} answered with no documents yet, ${r.indexing.keywordOnly} keyword-only, ${r.indexing.errors} errors`,
    `  idle, ${r.vectors} chunks, one search at a time:`,
    `    hybrid         ${lat(r.idle.hybrid)}`,
    `    keyword        ${lat(r.idle.keyword)}`,
    `    semantic       ${lat(r.idle.semantic)}`,
    `  first result     ${r.firstResultMs === null ? 'none' : `${(r.firstResultMs / 1000).toFixed(2)} s`} after the folder was added (first search answering with a document)`,
    `  all embedded     ${seconds.toFixed(1)} s after the folder was added (queue idle, every chunk has its vector)`,
    `  throughput       ${(r.chunks / seconds).toFixed(1)} chunks/s   ${tokensPerSecond.toFixed(0)} tokens/s   ${(corpus.tokens / cpuSeconds).toFixed(0)} tokens per CPU-second of the process`,
  ];
  if (ceiling) {
    // Like for like: Trove runs the model on one intra-op thread (see bench/embed.bench.ts).
    const tried = ceiling.result.tried ?? [ceiling.result];
    const one = tried
      .filter((t) => !('threads' in t) || t.threads === 1)
      .reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const rate = ceiling.tokens / one.seconds;
    lines.push(
      `  ceiling          ${rate.toFixed(0)} tokens/s, ${(ceiling.tokens / one.cpuSeconds).toFixed(0)} tokens/CPU-s: bare onnxruntime on ${ceiling.texts} of these texts, best at one intra-op thread: ${one.setup}`,
      `                   (at any thread count: ${(ceiling.tokens / ceiling.result.seconds).toFixed(0)} tokens/s, ${ceiling.result.setup.replace(/^.*best of \d+: /, '')})`,
      `                   indexing embedded ${(tokensPerSecond / rate).toFixed(2)}x the one-thread ceiling's tokens/s (target >= ${TARGETS.ofCeiling}x: ${met(tokensPerSecond / rate >= TARGETS.ofCeiling)}), parsing, chunking and writing included`,
    );
  }
  lines.push(
    `  event-loop delay while indexing ${delay(r.loopDelay.indexing)}; idle ${delay(r.loopDelay.idle)}`,
    `  CPU time         ${cpuSeconds.toFixed(1)} s (all threads)${r.cpu.mainThreadMs === null ? '' : `, main thread ${(r.cpu.mainThreadMs / 1000).toFixed(1)} s`}`,
    `  peak RSS         ${mb(peak)} MB (sampled ${mb(r.rss.sampledPeakBytes)} MB, maxRSS ${mb(r.rss.maxBytes)} MB; ${mb(r.rss.beforeBytes)} MB before the folder was added)`,
    '',
    `  target: hybrid p95 while indexing < ${TARGETS.indexingHybridP95Ms} ms: ${r.indexing.p95.toFixed(1)} ms -> ${met(r.indexing.p95 < TARGETS.indexingHybridP95Ms)}`,
    `  target: hybrid p95 idle < ${TARGETS.idleHybridP95Ms} ms: ${r.idle.hybrid.p95.toFixed(1)} ms -> ${met(r.idle.hybrid.p95 < TARGETS.idleHybridP95Ms)}`,
    `  target: all embedded <= ${TARGETS.allEmbeddedSeconds} s: ${seconds.toFixed(1)} s -> ${met(seconds <= TARGETS.allEmbeddedSeconds)}`,
    `  target: peak RSS < ${TARGETS.peakRssMb} MB: ${mb(peak)} MB -> ${met(peak / 1e6 < TARGETS.peakRssMb)}`,
    `  load average     start ${r.loadAvgStart}   end ${r.loadAvgEnd}`,
  );
  return lines.join('\n');
}
