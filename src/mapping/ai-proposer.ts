import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';

import { messageOf } from '../model/error-message';
import type { MappingFile } from '../model/mapping';
import { type AiConfig, aiConfigSchema } from '../model/migration-config';
import { zodIssues } from '../model/zod-issues';
import { type AiFieldOutcome, mergeAiProposals } from './ai-merge';
import { buildAiRequest, type SourceSchemaInput, SYSTEM_PROMPT } from './ai-request';
import { AiAnswer, AiAnswerEnvelope, AiProposal, type WorkspaceAttribute } from './ai-schema';
import { scrubSecret } from './redact';

/** The AI settings (migration/config.json `ai`): enabled, model, baseUrl, timeoutMs, redact. */
export const AiSettings = aiConfigSchema;
export type AiSettings = AiConfig;

export type AiAccess = { use: true; apiKey: string; baseUrl: string | undefined } | { use: false; reason: string };

/**
 * Whether the AI proposer can run: it needs `enabled`, and a key (explicit — the extension passes
 * SecretStorage's — or OPENAI_API_KEY) or a base URL (a local model server may need no key).
 */
export function resolveAiAccess(
  settings: AiSettings,
  apiKey?: string | null,
  env: NodeJS.ProcessEnv = process.env,
): AiAccess {
  if (!settings.enabled) return { use: false, reason: 'the AI proposer is off (ai.enabled is false)' };
  const key = apiKey || env.OPENAI_API_KEY || '';
  const baseUrl = settings.baseUrl || undefined;
  if (!key && !baseUrl)
    return { use: false, reason: 'no OpenAI key (OPENAI_API_KEY) and no AI base URL: heuristic proposals only' };
  // The SDK insists on a key; local OpenAI-compatible servers ignore it.
  return { use: true, apiKey: key || 'no-key', baseUrl };
}

export interface ProposeWithAiInput {
  /** The default map (buildDefaultMap's output): the AI refines it; it is returned unchanged when AI is off or fails. */
  map: MappingFile;
  source: SourceSchemaInput;
  /** The workspace's existing contact, company and conversation attributes ([] without an Intercom client). */
  attributes: readonly WorkspaceAttribute[];
  settings: Partial<AiSettings> | AiSettings;
  /** The extension passes SecretStorage's key; otherwise OPENAI_API_KEY. */
  apiKey?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Retries of 429/5xx/connection errors inside the SDK (default 1). */
  maxRetries?: number;
  /** Receives one line per notable event (never the key, never a sample value). */
  log?: (line: string) => void;
}

export interface ProposeWithAiResult {
  map: MappingFile;
  /** What became of each AI proposal (for the review view). */
  proposals: AiFieldOutcome[];
  warnings: string[];
  /** Whether a model answered and its answer was used (partly or fully). */
  usedAi: boolean;
  /** Why the AI proposer did not run, when it did not. */
  skipped?: string;
}

const RESPONSE_FORMAT = zodResponseFormat(AiAnswer, 'mapping_proposals');

/**
 * Asks an OpenAI-compatible chat-completions endpoint for field proposals and merges the valid ones into
 * the map. Never throws for the endpoint's sake: a timeout, an HTTP error, malformed JSON or a wrong
 * shape leave the heuristic map, with a warning saying why.
 */
export async function proposeWithAi(input: ProposeWithAiInput): Promise<ProposeWithAiResult> {
  const log = input.log ?? (() => {});
  const parsed = AiSettings.safeParse({ ...input.settings });
  if (!parsed.success) {
    const reason = `the AI settings are not valid (${zodIssues(parsed.error)})`;
    log(`AI proposer: ${reason}; the heuristic map is kept`);
    return {
      map: input.map,
      proposals: [],
      warnings: [`AI proposer: ${reason}; the heuristic map is kept`],
      usedAi: false,
      skipped: reason,
    };
  }
  const settings = parsed.data;
  const access = resolveAiAccess(settings, input.apiKey, input.env);
  if (!access.use) return { map: input.map, proposals: [], warnings: [], usedAi: false, skipped: access.reason };

  const fail = (message: string): ProposeWithAiResult => {
    const warning = `AI proposer: ${scrubSecret(message, access.apiKey)}; the heuristic map is kept`;
    log(warning);
    return { map: input.map, proposals: [], warnings: [warning], usedAi: false };
  };

  let content: string | null | undefined;
  let finish: string | null | undefined;
  try {
    const payload = buildAiRequest(input.map, input.source, input.attributes, settings.redact);
    const client = new OpenAI({
      apiKey: access.apiKey,
      ...(access.baseUrl ? { baseURL: access.baseUrl } : {}),
      timeout: settings.timeoutMs,
      maxRetries: input.maxRetries ?? 1,
      // The SDK's own logging (OPENAI_LOG) would print request bodies: it stays off.
      logLevel: 'off',
    });
    log(
      `AI proposer: asking ${settings.model}${access.baseUrl ? ` at ${displayUrl(access.baseUrl)}` : ''} (redaction ${settings.redact ? 'on' : 'off'})`,
    );
    const completion = await client.chat.completions.create({
      model: settings.model,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: JSON.stringify(payload) },
      ],
      response_format: RESPONSE_FORMAT,
    });
    const choice = completion.choices?.[0];
    content = choice?.message?.content;
    finish = choice?.finish_reason;
  } catch (error) {
    return fail(describeError(error));
  }

  if (typeof content !== 'string' || content.trim() === '') return fail('the model returned no content');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return fail(`the answer is not valid JSON${finish === 'length' ? ' (cut off at the token limit)' : ''}`);
  }
  const envelope = AiAnswerEnvelope.safeParse(json);
  if (!envelope.success)
    return fail('the answer does not have the expected shape (an object with a "proposals" array)');

  const warnings: string[] = [];
  const valid: AiProposal[] = [];
  envelope.data.proposals.forEach((item, i) => {
    const parsed = AiProposal.safeParse(item);
    if (parsed.success) valid.push(parsed.data);
    else
      warnings.push(
        `AI proposer: proposal ${i + 1} ignored, it does not match the schema (${zodIssues(parsed.error, 2)})`,
      );
  });
  if (valid.length === 0) {
    for (const w of warnings) log(w);
    const failed = fail('the answer holds no valid proposal');
    return { ...failed, warnings: [...warnings, ...failed.warnings] };
  }

  const merged = mergeAiProposals(input.map, valid, input.attributes);
  for (const o of merged.outcomes) {
    if (o.status === 'dropped') warnings.push(`AI proposer: ${o.objectKey}.${o.source} dropped: ${o.note}`);
  }
  for (const w of warnings) log(w);
  const applied = merged.outcomes.filter((o) => o.status === 'applied').length;
  log(
    `AI proposer: ${valid.length} proposals, ${applied} applied, ${merged.outcomes.filter((o) => o.status === 'kept').length} kept out, ${merged.outcomes.filter((o) => o.status === 'dropped').length} dropped`,
  );
  return { map: merged.map, proposals: merged.outcomes, warnings, usedAi: true };
}

function describeError(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'the AI endpoint did not answer in time';
  if (error instanceof OpenAI.APIConnectionError) return 'the AI endpoint could not be reached';
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    const what =
      status === 401 || status === 403
        ? 'the AI endpoint refused the key'
        : status === 429
          ? 'the AI endpoint is rate limiting or out of quota'
          : status !== undefined && status >= 500
            ? 'the AI endpoint failed'
            : 'the AI endpoint rejected the request';
    return `${what} (HTTP ${status ?? '?'}${error.message ? `: ${clip(error.message)}` : ''})`;
  }
  return `the request failed (${clip(messageOf(error))})`;
}

/** A base URL for logs: no user info, no query string (either may carry a key). */
function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function clip(text: string): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
