import type { RecordCaption } from '../model/mapping-editor-messages';
import type { CallLog, EndUser, KbArticle, LiveChat, Organization, Ticket } from '../model/source';

// What a reviewer knows a source record by, as SmarterTrack shows it: a ticket's number and subject, a
// chat's number and start, a person's name and email. A missing name is left null: the webview shows
// the record's id instead.

const text = (value: string | null): string | null => value?.trim() || null;
/** A source date (UTC ISO-8601) to the minute. */
const minute = (at: string | null): string | null => (at ? `${at.slice(0, 16).replace('T', ' ')} UTC` : null);

export const ticketCaption = (t: Ticket): RecordCaption => ({
  kind: 'Ticket',
  name: text(t.number),
  detail: text(t.subject),
});

export function chatCaption(c: LiveChat): RecordCaption {
  const started = minute(c.startedAt);
  return { kind: 'Live chat', name: text(c.number), detail: started && `started ${started}` };
}

export const callLogCaption = (c: CallLog): RecordCaption => ({
  kind: 'Call log',
  name: text(c.number),
  detail: text(c.subject),
});

/** An end user by name with the email beside it, or by the email alone. */
export function endUserCaption(u: EndUser): RecordCaption {
  const name = text(u.displayName);
  const email = text(u.email);
  return { kind: 'End user', name: name ?? email, detail: name && email };
}

export const organizationCaption = (o: Organization): RecordCaption => ({
  kind: 'Organization',
  name: text(o.name),
  detail: null,
});

/** Articles have no number in SmarterTrack: the id, then the subject. */
export const articleCaption = (a: KbArticle): RecordCaption => ({
  kind: 'KB article',
  name: null,
  detail: text(a.subject),
});
