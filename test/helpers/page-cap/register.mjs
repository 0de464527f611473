// Preloaded (`node --import`) into a `trove` child process by full-disk tests
// that cannot mount a small disk: every database the process opens is capped
// at TROVE_TEST_MAX_PAGES pages with SQLite's own `max_page_count`, so a write
// that would grow it further fails with a real SQLITE_FULL, as on a full disk.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
