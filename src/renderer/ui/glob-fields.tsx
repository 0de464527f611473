import { useState } from 'react';
import { DEFAULT_EXCLUDE } from '../../shared/default-exclude';

/** Glob lists are typed as text, one per line or comma separated. */
const splitGlobs = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((g) => g.trim())
    .filter(Boolean);

const asList = (value: unknown): string =>
  Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : '';

/**
 * The state of a folder's filter fields, from its stored settings (none for
 * a new folder). A folder that never set its own exclude list skips the
 * defaults: they are shown, so that what the box says is what is skipped
 * and saving keeps them. `.gitignore` files are followed unless turned off.
 */
export function useFolderFilters(settings?: Record<string, unknown>) {
  const [include, setInclude] = useState(asList(settings?.include));
  const [exclude, setExclude] = useState(asList(settings?.exclude ?? DEFAULT_EXCLUDE));
  const [respectGitignore, setRespectGitignore] = useState(settings?.respectGitignore !== false);
  return {
    fields: {
      include,
      exclude,
      respectGitignore,
      onInclude: setInclude,
      onExclude: setExclude,
      onRespectGitignore: setRespectGitignore,
    },
    /** The settings the fields say (an empty include list: every file). */
    values: () => ({ include: splitGlobs(include), exclude: splitGlobs(exclude), respectGitignore }),
  };
}

/** The include/exclude glob fields (and .gitignore choice) of a local folder, shared by the add and edit dialogs. */
export function GlobFields(props: ReturnType<typeof useFolderFilters>['fields']) {
  return (
    <div className="glob-fields">
      <label className="field">
        <span>Include</span>
        <textarea
          className="input"
          rows={3}
          value={props.include}
          onChange={(e) => props.onInclude(e.target.value)}
          placeholder="every supported file, or e.g. **/*.md, **/*.pdf"
        />
      </label>
      <label className="field">
        <span>Exclude</span>
        <textarea
          className="input"
          rows={3}
          value={props.exclude}
          data-testid="glob-exclude"
          onChange={(e) => props.onExclude(e.target.value)}
          placeholder="**/drafts/**"
        />
      </label>
      <small className="muted glob-hint">
        Patterns (globs), separated by commas or new lines, relative to the folder.
      </small>
      <label className="check">
        <input
          type="checkbox"
          checked={props.respectGitignore}
          onChange={(e) => props.onRespectGitignore(e.target.checked)}
          data-testid="respect-gitignore"
        />
        Skip what the folder’s .gitignore files leave out (build output, dependencies)
      </label>
    </div>
  );
}
