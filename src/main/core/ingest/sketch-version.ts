/**
 * What the stored sketches are of: 1 the text as written, 2 its words as a
 * reader sees them (document-sketch.ts). A document with a sketch of an
 * earlier version is sketched again in the background
 * (handlers/sketch-backlog.handler.ts); until then its old sketch still
 * folds its copies. Bump it, with a migration that lists the sketched
 * documents in sketch_backlog (as migration 16 does), when documentSketch
 * changes.
 */
export const SKETCH_VERSION = 2;
