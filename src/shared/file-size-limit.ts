/**
 * 25 MB: the size limit of a local folder or an import unless it sets its own,
 * large enough for long PDFs and DOCX files, small enough to keep parsing snappy.
 * In a module of its own (no zod) so the CLI's help text can show it without
 * loading the contract.
 */
export const DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES = 25 * 1024 * 1024;
