/** Glob lists are typed as text, one per line or comma separated. */
export const splitGlobs = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((g) => g.trim())
    .filter(Boolean);

/** The include/exclude glob fields (and .gitignore choice) of a local folder, shared by the add and edit dialogs. */
export function GlobFields(props: {
  include: string;
  exclude: string;
  respectGitignore: boolean;
  onInclude: (text: string) => void;
  onExclude: (text: string) => void;
  onRespectGitignore: (respect: boolean) => void;
}) {
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
