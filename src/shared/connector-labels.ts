/** What each kind of source is called on screen and in the CLI's results. */
export const CONNECTOR_TYPE_LABEL: Readonly<Record<string, string>> = {
  local_folder: 'Local folder',
  local_import: 'Imported files',
  google_drive: 'Google Drive',
  notion: 'Notion',
};
