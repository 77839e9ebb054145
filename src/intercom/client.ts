import { AdminsApi } from './endpoints/admins';
import { CompaniesApi } from './endpoints/companies';
import { ContactsApi } from './endpoints/contacts';
import { ConversationsApi } from './endpoints/conversations';
import { CustomObjectsApi } from './endpoints/custom-objects';
import { DataAttributesApi } from './endpoints/data-attributes';
import { HelpCenterApi } from './endpoints/help-center';
import { TagsApi } from './endpoints/tags';
import { TicketsApi, TicketTypesApi } from './endpoints/tickets';
import type { RateLimiterStats } from './rate-limiter';
import type { TransportOptions } from './transport';
import { Transport } from './transport';

export type IntercomClientOptions = TransportOptions;

/**
 * The Intercom client every migrated record goes through: API 2.16, regional host or a base URL,
 * paced by the rate-limit headers, retried only where a retry cannot duplicate.
 */
export class IntercomClient {
  readonly transport: Transport;
  readonly admins: AdminsApi;
  readonly contacts: ContactsApi;
  readonly companies: CompaniesApi;
  readonly tags: TagsApi;
  readonly dataAttributes: DataAttributesApi;
  readonly conversations: ConversationsApi;
  readonly helpCenter: HelpCenterApi;
  readonly customObjects: CustomObjectsApi;
  readonly ticketTypes: TicketTypesApi;
  readonly tickets: TicketsApi;

  constructor(options: IntercomClientOptions) {
    this.transport = new Transport(options);
    this.admins = new AdminsApi(this.transport);
    this.contacts = new ContactsApi(this.transport);
    this.companies = new CompaniesApi(this.transport);
    this.tags = new TagsApi(this.transport);
    this.dataAttributes = new DataAttributesApi(this.transport);
    this.conversations = new ConversationsApi(this.transport);
    this.helpCenter = new HelpCenterApi(this.transport);
    this.customObjects = new CustomObjectsApi(this.transport);
    this.ticketTypes = new TicketTypesApi(this.transport);
    this.tickets = new TicketsApi(this.transport);
  }

  /** Live figures: requests sent, 429s, current rate. */
  stats(): RateLimiterStats {
    return this.transport.lanes.stats();
  }

  setToken(token: string): void {
    this.transport.setToken(token);
  }
}
