// better-sqlite3 with every connection capped at TROVE_TEST_MAX_PAGES pages (see register.mjs).
import Database from 'better-sqlite3';

const pages = Number(process.env.TROVE_TEST_MAX_PAGES);

export default function CappedDatabase(...args) {
  const db = new Database(...args);
  if (Number.isInteger(pages) && pages > 0) db.pragma(`max_page_count = ${pages}`);
  return db;
}
CappedDatabase.prototype = Database.prototype;
Object.setPrototypeOf(CappedDatabase, Database);
