/**
 * The source layer as other layers see it: parse a --source address, open a reader on it, and the
 * errors it throws (each extends SourceError; SourceAccessError: the user's to fix).
 */
export { SourceAccessError, SourceError } from './errors';
export { openSource, type OpenSourceOptions, SourceCredentialsError, SourceNotSupportedError } from './open-source';
export type {
  FlaggedRecord,
  FlagKind,
  LongValue,
  OrphanReference,
  SourceInsights,
  SourceReader,
  SourceVolumes,
} from './reader';
export { SoapAuthError, SoapError, SoapOperationError, SoapTransportError, SoapWriteRefusedError } from './soap/errors';
export { describeSourceUrl, parseSourceUrl, type SourceUrl, SourceUrlError } from './source-url';
export { SchemaError } from './sql/catalog';
export { WriteRefusedError } from './sql/connection';
export { SourceLoginError, SourceUnreachableError } from './sql/mssql-connection';
export { RowError } from './sql/row-values';
export { SourceBusyError, SourceCorruptError, SourceNotFoundError, SourceUnreadableError } from './sql/sqlite-files';
