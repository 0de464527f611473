import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ensureTestModel } from '../../scripts/make-test-model';
import { ARCTIC_EMBED_XS } from '../../src/main/core/embeddings/manifests';
import { startFakeModelHub, type FakeModelHub } from '../fakes/model-hub-server';

/**
 * A fake hub serving the generated tiny model under the default model's
 * name (the real one cannot be downloaded here), so the download, the
 * default-model set-up and the embedding worker all run for real. It is a
 * bag of words: tests that use it check that vectors are made, not how well
 * they rank (test/embeddings covers that). `scratch` receives the files.
 */
export async function serveTinyAsDefaultModel(scratch: string): Promise<FakeModelHub> {
  const tiny = await ensureTestModel();
  const files = path.join(scratch, 'hub');
  await mkdir(path.join(files, 'onnx'), { recursive: true });
  for (const file of ARCTIC_EMBED_XS.files) {
    const source = file.startsWith('onnx/') ? 'onnx/model.onnx' : file;
    await copyFile(path.join(tiny, source), path.join(files, file));
  }
  const server = await startFakeModelHub();
  await server.addRepo(ARCTIC_EMBED_XS.repo, ARCTIC_EMBED_XS.revision, files, ARCTIC_EMBED_XS.files);
  return server;
}
