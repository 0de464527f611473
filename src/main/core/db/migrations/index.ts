import { migration001 } from './001-initial';
import { migration002 } from './002-queue-type-order';
import { migration003 } from './003-ivf-lists';
import { migration004 } from './004-unstored-content';
import { migration005 } from './005-fts-heading';
import { migration006 } from './006-ocr-pages';
import { migration007 } from './007-sync-runs';
import { migration008 } from './008-content-titles';
import { migration009 } from './009-search-without-text';
import { migration010 } from './010-cjk-terms';
import { migration011 } from './011-cjk-titles';
import { migration012 } from './012-identifier-terms';
import { migration013 } from './013-unsupported-formats';
import { migration014 } from './014-compressed-types';
import { migration015 } from './015-file-types';
import { migration016 } from './016-shown-text-sketches';
import { migration017 } from './017-ivf-generations';
import { migration018 } from './018-keyword-index-per-transaction';

export interface Migration {
  /** Strictly increasing from 1; stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  sql: string;
}

/**
 * Every migration, in order. Bundled into the build as code: nothing reads
 * migration files from disk at run time.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
];
