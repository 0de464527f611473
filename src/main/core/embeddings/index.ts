/** Public surface of the embeddings module; see README.md in this folder. */
export type { Embedder, EmbeddingProvider, EmbeddingSpace } from './types';
export { spaceKey } from './types';
export {
  ARCTIC_EMBED_XS,
  BGE_SMALL_EN_V15,
  DEFAULT_LOCAL_MODEL_ID,
  LOCAL_MODELS,
  TINY_TEST_MODEL,
  getModelManifest,
  localSpace,
  type ModelManifest,
} from './manifests';
export { ModelManager, type DownloadOptions, type ModelManagerOptions, type ModelStatus } from './model-manager';
export type { DownloadProgress } from './model-download';
export { createLocalEmbedder, type LocalEmbedderOptions } from './local-embedder';
export { createGeminiEmbedder, type GeminiEmbedderOptions } from './gemini-embedder';
