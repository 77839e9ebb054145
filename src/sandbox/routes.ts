import type { Router } from './http/router';
import { registerAdmins } from './resources/admins';
import { registerCompanies, settleArchives } from './resources/companies';
import { registerCompanyLists } from './resources/company-lists';
import { registerContactLists } from './resources/contact-lists';
import { registerContacts } from './resources/contacts';
import { registerConversationAttributes } from './resources/conversation-attributes';
import { registerConversations } from './resources/conversations';
import { registerCustomObjects } from './resources/custom-objects';
import { registerDataAttributes } from './resources/data-attributes';
import { registerHelpCenter } from './resources/help-center';
import { registerSegments } from './resources/segments';
import { registerTags } from './resources/tags';
import { registerTicketTypes } from './resources/ticket-types';
import { registerTickets } from './resources/tickets';
import type { Store } from './state/store';

/** Every Intercom endpoint the sandbox serves. */
export function registerRoutes(router: Router<Store>): void {
  registerAdmins(router);
  registerContacts(router);
  registerCompanies(router);
  registerCompanyLists(router);
  registerContactLists(router);
  registerSegments(router);
  registerTags(router);
  registerDataAttributes(router);
  registerConversationAttributes(router);
  registerConversations(router);
  registerTicketTypes(router);
  registerTickets(router);
  registerHelpCenter(router);
  registerCustomObjects(router);
}

/** What falls due with time in the workspace: run before each request so every answer sees it. */
export function settleDue(store: Store): void {
  settleArchives(store);
}
