/** "page 3", or "slide 3" for presentations: how the app and the CLI name where a chunk stands. */
export function pageLabel(pageUnit: 'page' | 'slide' | undefined, page: number): string {
  return `${pageUnit === 'slide' ? 'slide' : 'page'} ${page}`;
}
