import type { IntercomClient } from '../intercom';

/** Where links to migrated objects point: Intercom's web app in a region, or a custom base URL (the local sandbox). */
export interface IntercomLinks {
  region?: 'US' | 'EU' | 'AU';
  /** A custom API base URL: links go to its read-only `/__sandbox/view/…` pages. */
  baseUrl?: string;
  /** The workspace's app id_code (GET /me); read through the client when not given. */
  appIdCode?: string;
}

export type LinkedKind = 'conversation' | 'ticket' | 'contact' | 'company';

/** The Intercom web app's host per region (the API's are in src/intercom/transport.ts). */
const WEB_APP_HOSTS: Record<NonNullable<IntercomLinks['region']>, string> = {
  US: 'https://app.intercom.com',
  EU: 'https://app.eu.intercom.com',
  AU: 'https://app.au.intercom.com',
};

const SANDBOX_VIEW: Record<LinkedKind, string> = {
  conversation: 'conversations',
  ticket: 'tickets',
  contact: 'contacts',
  company: 'companies',
};

/**
 * Builds the link to one object. In Intercom: a conversation or ticket opens in the inbox, a contact on its
 * conversations page, a company on its profile. Without an app id_code (GET /me failed or has
 * no app) there is no link: null rather than a guess.
 */
export async function linkMaker(
  links: IntercomLinks,
  client: Pick<IntercomClient, 'admins'>,
): Promise<(kind: LinkedKind, id: string) => string | null> {
  if (links.baseUrl) {
    const base = links.baseUrl.replace(/\/+$/, '');
    return (kind, id) => `${base}/__sandbox/view/${SANDBOX_VIEW[kind]}/${encodeURIComponent(id)}`;
  }
  const appIdCode =
    links.appIdCode ??
    (await client.admins.me().then(
      (me) => me.app?.id_code ?? null,
      () => null,
    ));
  if (!appIdCode) return () => null;
  const host = WEB_APP_HOSTS[links.region ?? 'US'];
  const app = encodeURIComponent(appIdCode);
  return (kind, id) => {
    const target = encodeURIComponent(id);
    switch (kind) {
      // A ticket is a conversation in the inbox, under the same id (its ticket_id is only the number shown).
      case 'conversation':
      case 'ticket':
        return `${host}/a/inbox/${app}/inbox/conversation/${target}`;
      case 'contact':
        return `${host}/a/apps/${app}/users/${target}/all-conversations`;
      case 'company':
        return `${host}/a/apps/${app}/companies/${target}`;
    }
  };
}
