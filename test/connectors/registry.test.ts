import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { createConnectorRegistry } from '../../src/main/core/connectors/registry';
import { localFolderConnectorFactory } from '../../src/main/core/connectors/local-folder/local-folder.connector';
import { localImportConnectorFactory } from '../../src/main/core/connectors/local-import/local-import.connector';
import { connectorContext } from './local-sync-harness';

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('connector registry', () => {
  const registry = createConnectorRegistry({
    local_folder: localFolderConnectorFactory,
    local_import: localImportConnectorFactory,
  });

  it('builds the connector registered for a type', () => {
    const connector = registry.build(connectorContext('local_folder', { path: '/data/notes' }));
    expect(connector.type).toBe('local_folder');
    expect(registry.build(connectorContext('local_import', { paths: [] })).type).toBe('local_import');
    expect(registry.has('local_folder')).toBe(true);
    expect(registry.has('notion')).toBe(false);
    expect(registry.types().sort()).toEqual(['local_folder', 'local_import']);
  });

  it('refuses a type it has no factory for with NOT_FOUND', () => {
    const error = caught(() => registry.build(connectorContext('notion', {})));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('notion');
  });

  it('reports invalid settings as VALIDATION, naming the field and the fix', () => {
    const error = caught(() => registry.build(connectorContext('local_folder', { path: 'notes', include: [''] })));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('The local folder settings are not valid');
    expect(error.message).toContain('path: The folder must be an absolute path');
    expect(error.message).toContain('include.0: A pattern cannot be empty.');
    expect(error.details).toMatchObject({ fields: ['path', 'include.0'] });

    const imports = caught(() => registry.build(connectorContext('local_import', { paths: 'not-a-list' })));
    expect(imports.code).toBe('VALIDATION');
    expect(imports.message).toContain('paths');
  });

  it('turns a factory that throws a bare zod error into VALIDATION too', async () => {
    const { z } = await import('zod');
    const strict = createConnectorRegistry({
      notion: () => {
        z.object({ token: z.string() }).parse({});
        throw new Error('unreachable');
      },
    });
    expect(caught(() => strict.build(connectorContext('notion', {}))).code).toBe('VALIDATION');
  });
});
