/**
 * Every limit of Intercom's that st2ic enforces, defined once with where it comes from. The run,
 * scope, the mapping editor's preview and the sandbox all read these, so a figure cannot differ
 * between what scope warns about and what a run does. "SPEC" is Intercom's OpenAPI 2.16
 * description (line numbers of the shared reference copy); "DOCS" Intercom's help center; an
 * "OBSERVATION" is a figure nobody at Intercom documents, written down with why we use it.
 *
 * Standard text fields (contact and company name, phone, conversation title) have no length limit
 * in the 2.16 description, so none is enforced on them: values pass whole and Intercom's answer
 * decides (an error names the record and field).
 */

/** SPEC L27352: "There is a limit of 500 parts" per conversation. */
export const MAX_CONVERSATION_PARTS = 500;

/** SPEC (conversation reply request): `attachment_files` and `attachment_urls` take at most 10 items each. */
export const MAX_FILES_PER_PART = 10;

/**
 * OBSERVATION: the API documents no size limit for inline `attachment_files`; Intercom caps incoming
 * email at 20 MB (DOCS article 2339426), the nearest documented figure for a file arriving by a
 * non-Messenger channel, so a larger file is refused by name instead of risking a failed request.
 */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/**
 * OBSERVATION: string custom-attribute values up to 255 characters. Not in the 2.16 description; a
 * third-party account (shared reference NOTES §3.5) and the fields Intercom's own UI offers agree.
 * Longer values are cut to this and kept whole in a note by default (`overflow: 'note'`).
 */
export const MAX_ATTRIBUTE_STRING = 255;

/** DOCS article 179: "a limit of 250 custom data attributes per workspace". */
export const MAX_CUSTOM_ATTRIBUTES = 250;

/** Values this close to a limit (a share of it) are flagged by scope and highlighted by the preview. */
const NEAR_LIMIT_SHARE = 0.9;

/** The length from which a value is "near" a limit. */
export function nearLimit(limit: number): number {
  return Math.floor(limit * NEAR_LIMIT_SHARE);
}

/**
 * Opening words of the note that carries a conversation's tail past the part cap. The engine writes
 * it; reconciliation recognises it, so folded messages count as present.
 */
export const FOLDED_TRANSCRIPT_MARKER = "Messages of the original conversation past Intercom's part limit";
