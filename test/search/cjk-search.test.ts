import { describe, expect, it } from 'vitest';
import { cjkIndexTerms, cjkQueryTerms } from '../../src/main/core/db/cjk-terms';
import { createLibrary, searchServiceFor, keywordTitles } from './library';

/** Notes as people write them in Chinese, Japanese and Korean (no spaces between words in the first two). */
const NOTES = {
  chinese: '我们在温室里种植番茄和黄瓜，每天早上六点浇水。夏天的时候要注意通风。',
  japanese: 'トマトの苗は朝のうちに水をやり、午後は窓を開けて風を通します。',
  korean: '우리는 온실에서 토마토와 오이를 키우고 매일 아침 물을 줍니다.',
  english: 'Water the tomatoes in the greenhouse every morning at six.',
};

function library() {
  const lib = createLibrary();
  lib.addConnector('folder');
  for (const [title, text] of Object.entries(NOTES)) lib.addDocument({ connectorId: 'folder', title, chunks: [text] });
  const { service } = searchServiceFor(lib, { embedder: false });
  const titles = (query: string): Promise<string[]> => keywordTitles(service, query);
  return { lib, service, titles };
}

describe('keyword search in Chinese, Japanese and Korean', () => {
  it('finds a word inside text written without spaces, and a Korean stem with its particle joined on', async () => {
    const { lib, titles } = library();
    try {
      expect(await titles('番茄')).toEqual(['chinese']);
      expect(await titles('浇水')).toEqual(['chinese']);
      expect(await titles('水をやり')).toEqual(['japanese']);
      expect(await titles('窓')).toEqual(['japanese']); // one character: what it starts
      expect(await titles('온실')).toEqual(['korean']); // written 온실에서, "in the greenhouse"
      expect(await titles('tomatoes')).toEqual(['english']);
      // Characters that stand apart in the text are not a word of it.
      expect(await titles('番瓜')).toEqual([]);
    } finally {
      lib.db.close();
    }
  });

  it('takes a quoted phrase and an exclusion in these scripts as the index holds them', async () => {
    const { lib, titles } = library();
    try {
      expect(await titles('"番茄和黄瓜"')).toEqual(['chinese']);
      expect(await titles('"黄瓜和番茄"')).toEqual([]);
      expect(await titles('番茄 -浇水')).toEqual([]);
      expect(await titles('水をやり -浇水')).toEqual(['japanese']);
      // In titles too: a word inside a title written without spaces.
      lib.addDocument({ connectorId: 'folder', title: '番茄种植笔记', chunks: ['Sow in March, pick in July.'] });
      expect(await titles('title:种植')).toEqual(['番茄种植笔记']);
      expect(await titles('title:番茄种植')).toEqual(['番茄种植笔记']);
      expect(await titles('title:种植番茄')).toEqual([]);
      expect(await titles('番茄 -title:笔记')).toEqual(['chinese']);
    } finally {
      lib.db.close();
    }
  });

  it('marks the word typed, not the whole clause it begins', async () => {
    const { lib, service } = library();
    const markedIn = async (query: string): Promise<string[]> => {
      const [group] = (await service.search({ query, mode: 'keyword' })).groups;
      return (group?.chunks[0]?.snippet ?? []).filter((s) => s.match).map((s) => s.text);
    };
    try {
      // FTS5 reads "トマトの苗は朝のうちに水をやり" as one token, which トマト begins.
      expect(await markedIn('トマト')).toEqual(['トマト']);
      expect(await markedIn('我们')).toEqual(['我们']);
      expect(await markedIn('水をやり')).toEqual(['水をやり']);
    } finally {
      lib.db.close();
    }
  });

  it('indexes character pairs only for those scripts, and leaves other text as it was', () => {
    expect(cjkIndexTerms(NOTES.english)).toBe('');
    expect(cjkIndexTerms('Plant 番茄, then 窓.')).toBe('\n番茄 茄\n窓');
    expect(cjkQueryTerms('番茄和')).toEqual([{ token: '番茄 茄和' }]);
    expect(cjkQueryTerms('窓')).toEqual([{ token: '窓', prefix: true }]);
    expect(cjkQueryTerms('tomato')).toEqual([]);
  });
});
