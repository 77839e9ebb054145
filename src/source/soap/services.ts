/**
 * The SmarterTrack Web Services this reader calls: service names, their XML namespaces (verbatim
 * from the shared reference notes, section 2.1) and how each spells its credential elements.
 */
export const SERVICES = {
  svcTickets: {
    namespace: 'http://www.smartertools.com/SmarterTrack/Services2/svcTickets.asmx',
    credentials: ['authUserName', 'authPassword'],
  },
  svcOrganization: {
    namespace: 'http://www.smartertools.com/SmarterTrack/Services2/svcOrganization.asmx',
    credentials: ['authUserName', 'authPassword'],
  },
  svcCallLogs: {
    namespace: 'http://www.smartertools.com/SmarterTrack/Services2/svcCallLogs.asmx',
    credentials: ['authUserName', 'authPassword'],
  },
  // svcKB follows another pattern (/Products/, no .asmx) and names its credentials adminUsername/adminPassword.
  svcKB: {
    namespace: 'http://www.smartertools.com/Products/SmarterTrack/Services2/svcKB',
    credentials: ['adminUsername', 'adminPassword'],
  },
} as const;

export type ServiceName = keyof typeof SERVICES;

/** Operations whose credential elements are spelled authUsername (lower-case n). VERIFIED for svcTickets. */
const LOWER_N_OPERATIONS = new Set(['AddRelatedItem', 'EditTicketNote', 'PingService']);

export function credentialNames(service: ServiceName, operation: string): readonly [string, string] {
  if (service === 'svcTickets' && LOWER_N_OPERATIONS.has(operation)) return ['authUsername', 'authPassword'];
  return SERVICES[service].credentials;
}

/** SOAP 1.1 SOAPAction = namespace + '/' + operation. */
export function soapAction(service: ServiceName, operation: string): string {
  return `${SERVICES[service].namespace}/${operation}`;
}

/**
 * The source is read-only: only reads and the credential check may be called. Anything else is
 * refused before a request is built.
 */
export function isReadOnlyOperation(operation: string): boolean {
  return /^(Get|Search)[A-Z]/.test(operation) || operation === 'ValidateAgent' || operation === 'PingService';
}

/** Where services live under a site: the current generation first, then the legacy one (INFERRED). */
export const SERVICE_ROOTS = ['Services2', 'Services'] as const;
