import type { WebviewMessage } from '../src/model/mapping-editor-messages';

type Request = Exclude<WebviewMessage, { type: 'ready' }>;

/** How a request is named when its reply is an error: the field or object it was about. */
export function requestLabel(request: Request): string {
  switch (request.type) {
    case 'accept':
      return `Accept ${request.source}`;
    case 'drop':
      return `Drop ${request.source}`;
    case 'edit':
      return `Edit ${request.source}`;
    case 'acceptAbove':
      return `Accept at or above ${Math.round(request.min * 100)}%`;
    case 'setEnabled':
      return `${request.enabled ? 'Migrate' : 'Skip'} ${request.object}`;
    case 'setValueMap':
      return `Value map ${request.entry.map}: ${request.entry.key}`;
    case 'setTicketDestination':
      return `Tickets of ${request.department === 'default' ? 'other departments' : `department ${request.department}`}`;
    case 'setTicketState':
      return `Ticket state of status ${request.status}`;
    case 'setTicketAttribute':
      return `Edit attribute ${request.name} of ticket type ${request.ticketType}`;
    case 'addTicketAttribute':
      return `Add attribute to ticket type ${request.ticketType}`;
    case 'removeTicketAttribute':
      return `Remove attribute ${request.name} of ticket type ${request.ticketType}`;
    case 'previewTicket':
      return `Ticket preview of department ${request.department}`;
    case 'confirm':
      return request.level === 'approved' ? 'Approve' : 'Mark reviewed';
    case 'preview':
      return `Preview of ${request.object}`;
    case 'runSample':
      return 'Run sample';
    case 'loadSampleResults':
      return 'Sample results';
    case 'openLink':
      return 'Open link';
    case 'openAsText':
      return 'Open as text';
  }
}

/** The webview's requests in flight: each gets an id the host's reply carries back. */
export class PendingRequests {
  private next = 1;
  private readonly open = new Map<number, string>();

  /** The request with its id, remembered until its reply. */
  ask<T extends Request>(request: T): T & { requestId: number } {
    const requestId = this.next++;
    this.open.set(requestId, requestLabel(request));
    return { ...request, requestId };
  }

  /** The name of the request a reply answers (undefined: not ours, or answered already). */
  settle(requestId: number): string | undefined {
    const label = this.open.get(requestId);
    this.open.delete(requestId);
    return label;
  }

  get size(): number {
    return this.open.size;
  }
}
