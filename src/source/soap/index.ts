export { SoapClient, type SoapClientOptions } from './soap-client';
export { SoapSourceReader, NOT_AVAILABLE, type SoapReaderOptions } from './soap-reader';
export { SoapAuthError, SoapError, SoapOperationError, SoapTransportError, SoapWriteRefusedError } from './errors';
