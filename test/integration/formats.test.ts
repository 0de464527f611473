import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDocument } from '../../src/main/core/store/documents.repo';
import {
  makeEml,
  makeSampleEpub,
  makeMbox,
  makeOdf,
  makePptx,
  makeRtf,
  makeXlsx,
  mboxEntry,
  type MailInput,
} from '../fixtures/formats';
import { buildZip } from '../fixtures/zip-writer';
import { startTestCore, type TestCore } from '../helpers/test-core';

/**
 * Issue 17: every new format through a real sync of a real folder (real
 * parser threads, real SQLite): its structure reaches the stored chunks, and
 * a broken file of each kind ends with a clear reason.
 */
interface ChunkRow {
  chunk_text: string;
  heading_path: string;
  page: number | null;
}

const mail = (n: number, extra: Partial<MailInput> = {}): string =>
  makeEml({
    subject: `Harvest report ${n}`,
    from: `Grower ${n} <grower${n}@example.org>`,
    to: 'coop@example.org',
    date: `Mon, 0${n} Mar 2026 08:00:00 +0000`,
    messageId: `harvest-${n}@example.org`,
    text: `Week ${n}: the greenhouse produced ${n * 10} kilos of tomatoes.\nFrom the north beds mostly.`,
    ...extra,
  });

describe('new formats through a real sync', () => {
  let t: TestCore;
  let folder: string;
  let connectorId: string;
  const doc = (id: string): StoredDocument =>
    t.core.repos.documents.getByExternalId(connectorId, id) ?? expect.unreachable(`no document ${id}`);
  const chunks = (id: string): ChunkRow[] =>
    t.core.db
      .prepare(
        `SELECT chunk_text, heading_path, page FROM imported_doc_chunks WHERE imported_document_id = ? ORDER BY chunk_index`,
      )
      .all(doc(id).id) as ChunkRow[];

  /** Documents processed since the queue held `before` process_imported_doc jobs, sorted. */
  const processedSince = (before: number): string[] => {
    const jobs = t.core.queue.list({ type: 'process_imported_doc', limit: 1000 });
    return jobs
      .slice(0, jobs.length - before)
      .map((j) => (j.payload as { documentId: string }).documentId)
      .sort();
  };

  beforeAll(async () => {
    t = await startTestCore({ model: false });
    folder = mkdtempSync(join(tmpdir(), 'trove-formats-'));
    const write = (name: string, bytes: Uint8Array | string): void => writeFileSync(join(folder, name), bytes);
    write(
      'harbour.pptx',
      await makePptx([
        { title: 'Dredging schedule', body: 'Phase one starts in March.', notes: 'Mention the tide tables.' },
        {
          title: 'Crane costs',
          table: [
            ['Item', 'Cost'],
            ['Crane', '4000'],
          ],
        },
        { title: 'Storm risks', body: 'Four storms a year close the harbour mouth.' },
      ]),
    );
    write(
      'deck.odp',
      makeOdf(
        'odp',
        ['Opening words', 'Quay lighting']
          .map(
            (title, i) =>
              `<draw:page><draw:frame presentation:class="title"><draw:text-box><text:p>${title}</text:p></draw:text-box></draw:frame><draw:frame presentation:class="outline"><draw:text-box><text:p>Point ${i + 1} of the talk.</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame presentation:class="notes"><draw:text-box><text:p>Note ${i + 1}</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>`,
          )
          .join(''),
      ),
    );
    write(
      'yields.xlsx',
      await makeXlsx([
        {
          name: 'Beds',
          rows: [
            ['Bed', 'Crop', 'Yield (kg)'],
            ...Array.from({ length: 150 }, (_, i) => [
              `Bed ${i + 1}`,
              i % 3 ? 'Tomato' : 'Pepper',
              { formula: `${i}+1`, result: i + 1 },
            ]),
          ],
        },
        {
          name: 'Staff',
          rows: [
            ['Name', 'Role'],
            ['Ann', 'Grower'],
          ],
        },
      ]),
    );
    write(
      'stock.ods',
      makeOdf(
        'ods',
        '<table:table table:name="Shed"><table:table-row><table:table-cell><text:p>Tool</text:p></table:table-cell><table:table-cell><text:p>Count</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>Spade</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell></table:table-row></table:table>',
      ),
    );
    write(
      'pond.odt',
      makeOdf(
        'odt',
        '<text:h text:outline-level="1">Pond care</text:h><text:p>Skim the leaves weekly.</text:p>',
        'Pond handbook',
      ),
    );
    write('letter.rtf', makeRtf('Letter to the co-op', ['Dear members,', 'The café opens at eight.']));
    write('orchard.epub', makeSampleEpub());
    write(
      'invoice.eml',
      makeEml({
        subject: 'Greenhouse invoice',
        from: 'Ann Berg <ann@example.org>',
        to: 'bob@example.org',
        date: 'Tue, 03 Feb 2026 09:30:00 +0000',
        messageId: 'invoice-1@example.org',
        html: '<p>Hello Bob, the <b>glass panes</b> are paid.</p>',
        attachments: [
          { name: 'terms.txt', type: 'text/plain', content: 'Payment is due within thirty days of delivery.' },
          { name: 'prices.csv', type: 'text/csv', content: 'item,price\npane,12\nframe,30\n' },
        ],
      }),
    );
    write(
      'inbox.mbox',
      makeMbox([
        mail(1),
        mail(2, { attachments: [{ name: 'tally.txt', type: 'text/plain', content: 'Tally: 20 crates of tomatoes.' }] }),
        mail(3),
      ]),
    );
    write('old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]));
    // Broken files of every kind.
    const notZip = 'PK\u0003\u0004 this was cut off in a download';
    for (const name of ['broken.pptx', 'broken.xlsx', 'broken.odt', 'broken.odp', 'broken.ods', 'broken.epub'])
      write(name, notZip);
    write('broken.rtf', 'This file lost its RTF header.');
    write('broken.eml', '\u0000\u0001 not a message at all');
    write(
      'locked.odt',
      buildZip([
        { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
        { name: 'content.xml', data: '<office:document-content/>', encrypted: true },
      ]),
    );
    const added = await t.core.connectors.add({ type: 'local_folder', name: 'Formats', settings: { path: folder } });
    connectorId = added.connector.id;
    await t.core.idle();
  }, 180_000);

  afterAll(async () => {
    await t?.cleanup();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('indexes slides one section each, with the slide number as the page', () => {
    const rows = chunks('harbour.pptx');
    expect(rows.map((r) => [JSON.parse(r.heading_path), r.page])).toEqual([
      [['Dredging schedule'], 1],
      [['Crane costs'], 2],
      [['Storm risks'], 3],
    ]);
    expect(rows[0]!.chunk_text).toContain('Speaker notes: Mention the tide tables.');
    expect(doc('harbour.pptx').metadata.parse).toMatchObject({ pageUnit: 'slide' });
    const odp = chunks('deck.odp');
    expect(odp.map((r) => [JSON.parse(r.heading_path), r.page])).toEqual([
      [['Opening words'], 1],
      [['Quay lighting'], 2],
    ]);
    expect(odp[1]!.chunk_text).toContain('Speaker notes: Note 2');
  });

  it('indexes a workbook one section per sheet, every chunk repeating its sheet header', () => {
    const rows = chunks('yields.xlsx');
    const beds = rows.filter((r) => JSON.parse(r.heading_path)[0] === 'Beds');
    expect(beds.length).toBeGreaterThan(2);
    for (const row of beds) expect(row.chunk_text).toContain('| Bed | Crop | Yield (kg) |\n| --- | --- | --- |');
    expect(beds.map((r) => r.chunk_text).join('\n')).toContain('| Bed 150 | Tomato | 150 |');
    expect(JSON.parse(rows.at(-1)!.heading_path)).toEqual(['Staff']);
    expect(chunks('stock.ods')[0]!.chunk_text).toBe('# Shed\n\n| Tool | Count |\n| --- | --- |\n| Spade | 3 |');
  });

  it('indexes ODT headings, RTF paragraphs, and EPUB chapters in spine order with title and author', () => {
    expect(JSON.parse(chunks('pond.odt')[0]!.heading_path)).toEqual(['Pond care']);
    expect(doc('pond.odt').metadata.parsedTitle).toBe('Pond handbook');
    expect(chunks('letter.rtf')[0]!.chunk_text).toBe('Dear members,\n\nThe café opens at eight.');
    expect(chunks('orchard.epub').map((r) => JSON.parse(r.heading_path))).toEqual([
      ['Chapter One: Blossom'],
      ['Chapter Two: Frost', 'Night'],
    ]);
    expect(doc('orchard.epub').metadata).toMatchObject({
      parsedTitle: 'The Quiet Orchard',
      documentInfo: { author: 'Mara Lind' },
    });
  });

  it('indexes a mail file titled by its subject, with its metadata, and its attachments as linked documents', () => {
    const message = doc('invoice.eml');
    expect(message).toMatchObject({ title: 'Greenhouse invoice', syncStatus: 'completed' });
    expect(message.metadata.documentInfo).toMatchObject({
      from: ['Ann Berg <ann@example.org>'],
      to: ['bob@example.org'],
      date: '2026-02-03T09:30:00.000Z',
    });
    expect(chunks('invoice.eml')[0]!.chunk_text).toContain('Hello Bob, the **glass panes** are paid.');
    const terms = doc('invoice.eml#attachment:2');
    expect(terms).toMatchObject({ title: 'terms.txt', syncStatus: 'completed' });
    expect(terms.metadata.parentExternalId).toBe('invoice.eml');
    expect(chunks('invoice.eml#attachment:2')[0]!.chunk_text).toBe('Payment is due within thirty days of delivery.');
    expect(chunks('invoice.eml#attachment:3')[0]!.chunk_text).toContain('| pane | 12 |');
  });

  it('splits a mailbox into one document per message, and their attachments', () => {
    for (const n of [1, 2, 3]) {
      const message = doc(`inbox.mbox#harvest-${n}@example.org`);
      expect(message).toMatchObject({
        title: `Harvest report ${n}`,
        syncStatus: 'completed',
        mimeType: 'message/rfc822',
      });
      expect(message.metadata.documentInfo).toMatchObject({ from: [`Grower ${n} <grower${n}@example.org>`] });
    }
    // The mbox quoting of a body line (>From) is the message's own text.
    expect(chunks('inbox.mbox#harvest-1@example.org')[0]!.chunk_text).toContain('produced 10 kilos of tomatoes');
    const tally = doc('inbox.mbox#harvest-2@example.org#attachment:2');
    expect(tally).toMatchObject({ title: 'tally.txt', syncStatus: 'completed' });
    expect(tally.metadata.parentExternalId).toBe('inbox.mbox#harvest-2@example.org');
    expect(doc('inbox.mbox')).toMatchObject({ syncStatus: 'completed', mimeType: 'application/mbox' });
    expect(doc('inbox.mbox').content).toMatch(/^Mailbox inbox\.mbox: 3 messages, from 2026-03-01 to 2026-03-03/);
  });

  it('ends every broken file with a clear reason', () => {
    const expectFailure = (id: string, status: 'skipped' | 'error', reason: RegExp): void => {
      expect({ id, status: doc(id).syncStatus }).toEqual({ id, status });
      expect(doc(id).syncError).toMatch(reason);
    };
    // A zip's first header and then nothing: what a download that stopped at once leaves.
    const cutOff = (what: string): RegExp =>
      new RegExp(
        `^This ${what} ends early, as an interrupted download or copy does, and its text was cut off with it\\. Download or copy it again to index it\\.$`,
      );
    expectFailure('broken.pptx', 'error', cutOff('PowerPoint presentation'));
    expectFailure('broken.xlsx', 'error', cutOff('Excel workbook'));
    expectFailure('broken.odt', 'error', cutOff('OpenDocument text'));
    expectFailure('broken.odp', 'error', cutOff('OpenDocument presentation'));
    expectFailure('broken.ods', 'error', cutOff('OpenDocument spreadsheet'));
    expectFailure('broken.epub', 'error', cutOff('EPUB e-book'));
    expectFailure('broken.rtf', 'error', /^The file could not be read as an RTF document: /);
    expectFailure(
      'broken.eml',
      'error',
      /^The file could not be read as an e-mail message: it has no message headers\.$/,
    );
    expectFailure('locked.odt', 'skipped', /is encrypted \(password-protected\); remove the password/);
    expectFailure('old.xls', 'skipped', /^Trove cannot read Excel 97-2003 workbooks \(\.xls\)/);
  });

  describe('a mailbox that grows', () => {
    let before: number;
    let resumedAt: number;
    beforeAll(async () => {
      before = t.core.queue.list({ type: 'process_imported_doc', limit: 1000 }).length;
      resumedAt = (doc('inbox.mbox').metadata.mailbox as { resumeAt: number }).resumeAt;
      appendFileSync(join(folder, 'inbox.mbox'), mboxEntry(mail(4)));
      t.core.connectors.syncNow(connectorId, 'incremental');
      await t.core.idle();
    }, 60_000);

    it('processes only the new message (and the mailbox record), reading on from where the last scan stopped', () => {
      const processed = processedSince(before);
      expect(processed).toEqual([doc('inbox.mbox#harvest-4@example.org').id, doc('inbox.mbox').id].sort());
      expect(doc('inbox.mbox#harvest-4@example.org')).toMatchObject({
        title: 'Harvest report 4',
        syncStatus: 'completed',
      });
      expect(doc('inbox.mbox').content).toMatch(/^Mailbox inbox\.mbox: 4 messages/);
      for (const n of [1, 2, 3]) expect(doc(`inbox.mbox#harvest-${n}@example.org`).syncStatus).toBe('completed');
      // Only the last message of the previous scan and the new one were read again.
      expect(resumedAt).toBeGreaterThan(0);
      const [latest] = t.core.repos.syncLogs.list({ connectorId, limit: 1 });
      expect(latest!.bytesTransferred).toBe(statSync(join(folder, 'inbox.mbox')).size - resumedAt);
    });

    it('deletes a message that disappears from the mailbox, with its attachments', async () => {
      writeFileSync(join(folder, 'inbox.mbox'), makeMbox([mail(1), mail(3), mail(4)]));
      t.core.connectors.syncNow(connectorId, 'incremental');
      await t.core.idle();
      expect(doc('inbox.mbox#harvest-2@example.org').syncStatus).toBe('deleted');
      expect(doc('inbox.mbox#harvest-2@example.org#attachment:2').syncStatus).toBe('deleted');
      for (const n of [1, 3, 4]) expect(doc(`inbox.mbox#harvest-${n}@example.org`).syncStatus).toBe('completed');
    }, 60_000);
  });
  describe('mail given to import', () => {
    let importId: string;
    const imported = (): StoredDocument[] =>
      t.core.repos.documents
        .list({ connectorId: importId, limit: 1000 })
        .items.filter((d) => d.syncStatus !== 'deleted');
    const byTitle = (title: string): StoredDocument =>
      imported().find((d) => d.title === title) ?? expect.unreachable(`no imported document titled ${title}`);
    let mailbox: string;

    beforeAll(async () => {
      mailbox = join(folder, 'imported.mbox');
      writeFileSync(
        mailbox,
        makeMbox([
          mail(5),
          mail(6, { attachments: [{ name: 'crates.txt', type: 'text/plain', content: 'Six crates.' }] }),
        ]),
      );
      ({ connectorId: importId } = await t.core.connectors.importPaths([mailbox, join(folder, 'invoice.eml')]));
      await t.core.idle();
    }, 60_000);

    it('stores each message and attachment by content, titled, linked and found at a path under its file', () => {
      const message = byTitle('Harvest report 6');
      expect(message.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(message.syncStatus).toBe('completed');
      expect(message.metadata.paths).toEqual([`${mailbox}#harvest-6@example.org`]);
      const crates = byTitle('crates.txt');
      expect(crates).toMatchObject({ externalId: `${message.externalId}#attachment:2`, syncStatus: 'completed' });
      expect(crates.metadata.parentExternalId).toBe(message.externalId);
      const invoice = byTitle('Greenhouse invoice');
      expect(byTitle('terms.txt').metadata.parentExternalId).toBe(invoice.externalId);
      expect(byTitle('imported.mbox').externalId).toBe(`mailbox:${mailbox}`);
    });

    it('processes only the new message when the mailbox grows, and nothing when it did not change', async () => {
      const before = t.core.queue.list({ type: 'process_imported_doc', limit: 1000 }).length;
      t.core.connectors.syncNow(importId, 'incremental');
      await t.core.idle();
      expect(t.core.queue.list({ type: 'process_imported_doc', limit: 1000 }).length).toBe(before);
      appendFileSync(mailbox, mboxEntry(mail(7)));
      t.core.connectors.syncNow(importId, 'incremental');
      await t.core.idle();
      const processed = processedSince(before);
      expect(processed).toEqual([byTitle('Harvest report 7').id, byTitle('imported.mbox').id].sort());
      expect(byTitle('Harvest report 5').syncStatus).toBe('completed');
    }, 60_000);
  });
});
