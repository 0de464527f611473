import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTroveApi } from '../../src/main/core/api/trove-api';
import type { TroveApi } from '../../src/shared/contract';
import { startTestCore, type TestCore } from '../helpers/test-core';

/** The OCR settings through the app's API, on a real core: the packaged languages and the confidence floor. */
describe('OCR settings', () => {
  let t: TestCore;
  let api: TroveApi;

  beforeAll(async () => {
    t = await startTestCore({ model: false });
    api = createTroveApi(t.core, { version: '0.0.0-test' }).api;
  });
  afterAll(async () => t?.cleanup());

  it('lists the packaged languages and starts with English and a floor of 60', async () => {
    const { ocr } = await api.getSettings({});
    expect(ocr.availableLanguages).toContainEqual({ code: 'eng', name: 'English' });
    expect(ocr.languages).toEqual(['eng']);
    expect(ocr.minConfidence).toBe(60);
  });

  it('stores a new floor, and refuses a language whose data is not installed', async () => {
    expect((await api.updateSettings({ ocrMinConfidence: 75 })).ocr.minConfidence).toBe(75);
    expect(t.core.ocr.get().minConfidence).toBe(75);
    await expect(api.updateSettings({ ocrLanguages: ['eng', 'klingon'] })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/OCR cannot read klingon: its language data is not installed/),
    });
    expect((await api.getSettings({})).ocr.languages).toEqual(['eng']);
  });
});
