import type { ConnectorType } from '../../../shared/contract';

/** What a result needs to decide its title. */
export interface TitleFacts {
  /** The connector's title: a file's name, a Drive file's or Notion page's name. */
  title: string;
  /** The title found inside the document (migration 8), or null. */
  contentTitle: string | null;
  connectorType: ConnectorType;
}

/** A name with a file extension, as Drive names uploaded files ("scan_0012.pdf"). */
const FILE_NAME = /\.[a-z][a-z0-9]{1,7}$/i;

/**
 * The title a result shows, and the file name to show beside it when they
 * differ. Local files take the title found inside them; Notion pages and
 * Drive documents keep the name their owner gave them in the provider,
 * unless that name is only an uploaded file's name.
 */
export function displayTitle(facts: TitleFacts): { title: string; fileName: string | null } {
  const inside = facts.contentTitle?.trim();
  const useInside =
    !!inside &&
    inside.toLowerCase() !== facts.title.toLowerCase() &&
    (facts.connectorType === 'local_folder' ||
      facts.connectorType === 'local_import' ||
      (facts.connectorType === 'google_drive' && FILE_NAME.test(facts.title)));
  return useInside ? { title: inside, fileName: facts.title } : { title: facts.title, fileName: null };
}
