/**
 * The source layer as other layers see it: parse a --source address, open a reader on it, and the
 * errors it throws (each extends SourceError; SourceAccessError: the user's to fix).
 */
export { parseSourceUrl, describeSourceUrl, SourceUrlError, type SourceUrl } from './source-url';
export { openSource, SourceCredentialsError, SourceNotSupportedError, type OpenSourceOptions } from './open-source';
export type { SourceReader, SourceVolumes, SourceInsights, FlagKind, FlaggedRecord, LongValue, OrphanReference } from './reader';
export { SourceAccessError, SourceError } from './errors';
export { SchemaError } from './sql/catalog';
export { WriteRefusedError } from './sql/connection';
export { RowError } from './sql/row-values';
export { SourceLoginError, SourceUnreachableError } from './sql/mssql-connection';
export { SourceBusyError, SourceCorruptError, SourceNotFoundError, SourceUnreadableError } from './sql/sqlite-files';
export { SoapAuthError, SoapError, SoapOperationError, SoapTransportError, SoapWriteRefusedError } from './soap/errors';
