import { z } from 'zod';
import { AppError, toAppError } from '../../../shared/errors';
import type { Connector, ConnectorContext, ConnectorFactory, ConnectorType } from './types';

/** Maps connector types to factories; `app.ts` builds one with every available factory. */
export interface ConnectorRegistry {
  /**
   * Builds the connector for a stored config. Throws AppError NOT_FOUND when
   * no factory is registered for the type, VALIDATION when its settings are
   * invalid (the message says which field and why).
   */
  build(context: ConnectorContext): Connector;
  has(type: string): type is ConnectorType;
  types(): ConnectorType[];
}

const TYPE_LABELS: Record<ConnectorType, string> = {
  local_folder: 'local folder',
  local_import: 'import',
  google_drive: 'Google Drive',
  notion: 'Notion',
};

export function createConnectorRegistry(
  factories: Partial<Record<ConnectorType, ConnectorFactory>>,
): ConnectorRegistry {
  const table = new Map<string, ConnectorFactory>(
    Object.entries(factories).filter((entry): entry is [ConnectorType, ConnectorFactory] => entry[1] !== undefined),
  );
  return {
    build(context) {
      const type: string = context.config.type;
      const factory = table.get(type);
      if (!factory) {
        throw new AppError('NOT_FOUND', `Trove has no connector for sources of type "${type}".`, {
          details: { type, connectorId: context.config.id },
        });
      }
      try {
        return factory(context);
      } catch (error) {
        if (error instanceof z.ZodError) throw settingsError(context.config.type, error);
        throw toAppError(error);
      }
    },
    has: (type): type is ConnectorType => table.has(type),
    types: () => [...table.keys()] as ConnectorType[],
  };
}

/**
 * Validates a connector's settings with its schema. Every factory calls it
 * first, so a bad config fails at build time with AppError VALIDATION and a
 * message such as `The local folder settings are not valid: path: The folder
 * must be an absolute path ...`.
 */
export function parseConnectorSettings<Schema extends z.ZodType>(
  type: ConnectorType,
  schema: Schema,
  settings: unknown,
): z.output<Schema> {
  const result = schema.safeParse(settings);
  if (!result.success) throw settingsError(type, result.error);
  return result.data;
}

function settingsError(type: ConnectorType, error: z.ZodError): AppError {
  const problems = error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return new AppError('VALIDATION', `The ${TYPE_LABELS[type] ?? type} settings are not valid: ${problems.join('; ')}`, {
    cause: error,
    details: { type, fields: error.issues.map((issue) => issue.path.join('.')) },
  });
}
