import { randomUUID } from 'node:crypto';

/** Text UUIDs for every row id except chunk rowids (see migration 1). */
export const newId = (): string => randomUUID();
