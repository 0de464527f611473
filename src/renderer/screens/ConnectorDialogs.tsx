import { useState, type FormEvent } from 'react';
import type { CommandOutput, ConnectorSummary } from '../../shared/contract';
import { useAction, useCommand } from '../api/hooks';
import { ErrorBanner, Modal } from '../ui/components';
import { plural } from '../ui/format';
import { FolderField } from '../ui/folder-field';
import { GlobFields, useFolderFilters } from '../ui/glob-fields';

export function EditConnectorDialog(props: { connector: ConnectorSummary; onClose: () => void; onSaved: () => void }) {
  const { connector } = props;
  const action = useAction();
  const [name, setName] = useState(connector.name);
  const filters = useFolderFilters(connector.settings);
  const isFolder = connector.type === 'local_folder';
  const [path, setPath] = useState(typeof connector.settings.path === 'string' ? connector.settings.path : '');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const settings = isFolder ? { ...connector.settings, ...filters.values(), path: path.trim() } : undefined;
    const result = await action.run('updateConnector', {
      connectorId: connector.id,
      name: name.trim(),
      ...(settings ? { settings } : {}),
    });
    if (result) props.onSaved();
  };
  return (
    <Modal title={`Settings: ${connector.name}`} onClose={props.onClose} testId="edit-connector-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Name</span>
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            data-testid="edit-name"
          />
        </label>
        {isFolder && (
          <>
            <FolderField
              value={path}
              onChange={setPath}
              pickTitle="Choose where the folder is now"
              testId="edit-path"
              hint="Moved the folder? Choose where it is now: what is indexed stays, and only what changed is read again."
            />
            <GlobFields {...filters.fields} />
            <p className="muted small">Changes apply from the next sync.</p>
          </>
        )}
        <ErrorBanner error={action.error} />
        <div className="modal-footer">
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="edit-save">
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RemoveConnectorDialog(props: {
  connector: ConnectorSummary;
  onClose: () => void;
  onRemoved: (summary: CommandOutput<'removeConnector'>) => void;
}) {
  const preview = useCommand('previewRemoveConnector', { connectorId: props.connector.id });
  const action = useAction();
  const remove = async () => {
    const result = await action.run('removeConnector', { connectorId: props.connector.id, confirm: true });
    if (result) props.onRemoved(result);
  };
  return (
    <Modal
      title={`Remove ${props.connector.name}?`}
      onClose={props.onClose}
      testId="remove-connector-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose} autoFocus>
            Keep it
          </button>
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => void remove()}
            disabled={action.busy || !preview.data}
            data-testid="remove-confirm"
          >
            Remove and delete from index
          </button>
        </>
      }
    >
      <ErrorBanner error={preview.error ?? action.error} />
      {preview.data ? (
        <p data-testid="remove-preview">
          This deletes {plural(preview.data.documents, 'document')}, {plural(preview.data.chunks, 'indexed passage')}{' '}
          and {plural(preview.data.syncLogs, 'sync record')} from Trove. Your original files and pages are not touched.
        </p>
      ) : (
        <p className="muted">Counting what would be deleted…</p>
      )}
    </Modal>
  );
}
