import { describe, expect, it } from 'vitest';
import { parseContent } from '../../src/main/core/ingest/parse';
import { decodeText } from '../../src/main/core/ingest/decode';
import { declaredCharset } from '../../src/main/core/ingest/legacy-encoding';
import { encodeLegacy } from '../fixtures/legacy-text';

const file = (fileName: string, bytes: Uint8Array) => ({
  kind: 'bytes' as const,
  bytes,
  fileName,
  mimeType: 'application/octet-stream',
});

const GREENHOUSE: Array<[string, string, string]> = [
  [
    'Chinese in GBK',
    'gbk',
    '温室里的传感器每十分钟记录一次温度和湿度。如果夜间温度低于五度，系统会自动打开加热器，并向园丁发送一条提醒消息。每周一早上，我们检查水泵、清理过滤网，并把记录导出到表格中。',
  ],
  [
    'Chinese in Big5',
    'big5',
    '溫室裡的感測器每十分鐘記錄一次溫度和濕度。如果夜間溫度低於五度，系統會自動打開加熱器，並向園丁發送一條提醒訊息。每週一早上，我們檢查水泵、清理濾網。',
  ],
  [
    'Japanese in Shift_JIS',
    'shift_jis',
    '温室のセンサーは十分ごとに温度と湿度を記録します。夜の気温が五度を下回ると、システムは自動的にヒーターを入れ、庭師に知らせを送ります。毎週月曜日の朝には、ポンプを点検してフィルターを掃除します。',
  ],
  [
    'Japanese in EUC-JP',
    'euc-jp',
    '温室のセンサーは十分ごとに温度と湿度を記録します。夜の気温が五度を下回ると、システムは自動的にヒーターを入れ、庭師に知らせを送ります。',
  ],
  [
    'Korean in EUC-KR',
    'euc-kr',
    '온실의 센서는 십 분마다 온도와 습도를 기록합니다. 밤 기온이 오 도 아래로 내려가면 시스템이 자동으로 히터를 켜고 정원사에게 알림을 보냅니다. 매주 월요일 아침에는 펌프를 점검하고 필터를 청소합니다.',
  ],
  [
    'Russian in Windows-1251',
    'windows-1251',
    'Датчики в теплице каждые десять минут записывают температуру и влажность. Если ночью становится холоднее пяти градусов, система сама включает обогреватель и отправляет садовнику напоминание.',
  ],
  [
    'Russian in KOI8-R',
    'koi8-r',
    'Датчики в теплице каждые десять минут записывают температуру и влажность. Если ночью становится холоднее пяти градусов, система сама включает обогреватель и отправляет садовнику напоминание.',
  ],
  [
    'Greek in ISO-8859-7',
    'iso-8859-7',
    'Οι αισθητήρες του θερμοκηπίου καταγράφουν τη θερμοκρασία και την υγρασία κάθε δέκα λεπτά. Αν η θερμοκρασία πέσει κάτω από πέντε βαθμούς τη νύχτα, το σύστημα ανάβει τη θέρμανση.',
  ],
  [
    'Polish in Windows-1250',
    'windows-1250',
    'Czujniki w szklarni co dziesięć minut zapisują temperaturę i wilgotność. Jeśli w nocy robi się zimniej niż pięć stopni, system sam włącza ogrzewanie i wysyła ogrodnikowi przypomnienie. W poniedziałki sprawdzamy pompę, czyścimy filtr i przenosimy zapiski do arkusza. Źródło wody jest za szklarnią, obok łąki. Żółte liście z jabłoni zgrabiamy w październiku, a róże przycinamy wczesną wiosną, zanim ruszą pąki.',
  ],
];

describe('text files in legacy encodings', () => {
  it('reads the curly quotes, dashes and euro sign of a Windows "ANSI" file', async () => {
    // Written byte by byte: 0x92 ’, 0x93 “, 0x94 ”, 0x96 –, 0x80 €, 0x85 …; 0xE9 é.
    const ansi = Buffer.from('It\x92s the \x93best\x94 pump \x96 12\x80 at the caf\xe9\x85', 'latin1');
    const parsed = await parseContent(file('note.txt', new Uint8Array(ansi)));
    expect(parsed.text).toBe('It’s the “best” pump – 12€ at the café…');
  });

  it.each(GREENHOUSE)('reads %s as it was written', async (_, label, text) => {
    const parsed = await parseContent(file('greenhouse.txt', encodeLegacy(text, label)));
    expect(parsed.text).toBe(text);
  });

  it('reads Russian in Windows-1251 around English commands and code', () => {
    // The ASCII makes the detector rank Latin-1 first; words made only of bytes above ASCII are no Latin script.
    const note = [
      '# Настройка датчиков',
      '',
      'Run `sensor-cli calibrate --device /dev/ttyUSB0 --interval 600` before the first season, then `sensor-cli export --format csv --output readings.csv` each month.',
      '',
      '```sh\nsensor-cli calibrate --device /dev/ttyUSB0 --interval 600\nsensor-cli export --format csv --output readings.csv\n```',
      '',
      'Датчики записывают температуру каждые десять минут.',
    ].join('\n');
    expect(decodeText(encodeLegacy(note, 'windows-1251'))).toBe(note);
  });

  it('reads a short note in another script, where its few bytes are whole words', () => {
    // Fewer than 32 bytes above ASCII: these were read as Windows-1252 ("Ïðèâåò").
    const notes: Array<[string, string]> = [
      ['Заметка: позвонить Ивану', 'windows-1251'],
      ['TODO: купить молоко', 'koi8-r'],
      ['Σημείωση: πότισμα', 'iso-8859-7'],
      ['Meeting: שלום עולם', 'iso-8859-8'],
    ];
    for (const [text, label] of notes)
      expect({ label, text: decodeText(encodeLegacy(text, label)) }).toEqual({ label, text });
  });

  it('keeps Western European text as Windows-1252, however short', () => {
    const western = [
      'Les capteurs de la serre enregistrent la température et l’humidité toutes les dix minutes ; s’il fait moins de cinq degrés, le système allume le chauffage. Coût : 12 €, très économique.',
      'Die Sensoren im Gewächshaus zeichnen alle zehn Minuten Temperatur und Luftfeuchtigkeit auf. Fällt die Temperatur nachts unter fünf Grad, schaltet das System die Heizung ein – und schickt dem Gärtner eine Erinnerung.',
      '¿Qué más? ¡Nada! Los sensores del invernadero registran la temperatura y la humedad cada diez minutos.',
      // Too few bytes to judge by: chardet alone read this as Latin-2 ("naďve").
      'naïve café',
      '/* © 2004 Jörg Müller */\nint main(void) { return 0; }\n',
    ];
    for (const text of western) expect(decodeText(encodeLegacy(text, 'windows-1252'))).toBe(text);
  });

  it('reads a spreadsheet exported as CSV in GBK', async () => {
    const csv =
      '品种,播种月份,备注\n番茄,三月,需要搭架子并且每周浇水两次\n黄瓜,四月,温室里生长得最好，注意通风\n辣椒,三月,喜欢温暖，夜间低于十度要加热\n';
    const parsed = await parseContent(file('seeds.csv', encodeLegacy(csv, 'gbk')));
    expect(parsed.text).toContain('黄瓜');
    expect(parsed.text).toContain('温室里生长得最好，注意通风');
  });
});

describe('HTML pages that declare their encoding', () => {
  const page = (head: string, body: string) =>
    `<html><head>${head}<title>${body.slice(0, 5)}</title></head><body><h1>${body.slice(0, 5)}</h1><p>${body}</p></body></html>`;

  it('reads a page by its meta charset, even when its text is too short to detect', async () => {
    const html = page('<meta charset="shift_jis">', '庭の手入れ。毎週、落ち葉を掃除します。');
    const parsed = await parseContent(file('garden.html', encodeLegacy(html, 'shift_jis')));
    expect(parsed.title).toBe('庭の手入れ');
    expect(parsed.text).toContain('毎週、落ち葉を掃除します。');
  });

  it('finds the declaration where browsers look for it', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(declaredCharset(bytes('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'))).toBe(
      'koi8-r',
    );
    expect(declaredCharset(bytes("<?xml version='1.0' encoding='EUC-JP'?><html>"))).toBe('EUC-JP');
    expect(declaredCharset(bytes('<META CHARSET=gb2312>'))).toBe('gb2312');
    // UTF-16 cannot describe bytes read this far; a label Node does not know is no declaration.
    expect(declaredCharset(bytes('<meta charset="utf-16">'))).toBeUndefined();
    expect(declaredCharset(bytes('<meta charset="x-no-such-code">'))).toBeUndefined();
    // Past the first 1,024 bytes browsers stop looking, and so does Trove.
    expect(declaredCharset(bytes(`<!--${' '.repeat(1100)}--><meta charset="koi8-r">`))).toBeUndefined();
  });

  it('reads valid UTF-8 as UTF-8 whatever an old meta tag says', async () => {
    const html = page('<meta charset="iso-8859-1">', 'Gewächshaus – Größe und Öffnungszeiten');
    const parsed = await parseContent(file('saved-again.html', new TextEncoder().encode(html)));
    expect(parsed.text).toContain('Gewächshaus – Größe und Öffnungszeiten');
  });
});
