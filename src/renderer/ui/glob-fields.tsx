/** Glob lists are typed as text, one per line or comma separated. */
export const splitGlobs = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((g) => g.trim())
    .filter(Boolean);

/** The include/exclude glob fields of a local folder, shared by the add and edit dialogs. */
export function GlobFields(props: {
  include: string;
  exclude: string;
  onInclude: (text: string) => void;
  onExclude: (text: string) => void;
}) {
  return (
    <div className="row">
      <label className="field grow">
        <span>Include (globs, comma or newline separated)</span>
        <textarea
          className="input"
          rows={2}
          value={props.include}
          onChange={(e) => props.onInclude(e.target.value)}
          placeholder="every supported file, or e.g. **/*.md, **/*.pdf"
        />
      </label>
      <label className="field grow">
        <span>Exclude (globs)</span>
        <textarea
          className="input"
          rows={2}
          value={props.exclude}
          onChange={(e) => props.onExclude(e.target.value)}
          placeholder="**/drafts/**"
        />
      </label>
    </div>
  );
}
