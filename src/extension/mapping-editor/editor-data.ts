import {
  departmentTicket,
  previewRecords as readPreviewRecords,
  type PreviewSample,
} from '../../engine/preview-records';
import { fetchWorkspaceAttributes } from '../../engine/propose-map';
import { openLedger } from '../../ledger';
import { previewObject } from '../../mapping/preview';
import { attributeModel } from '../../mapping/targets';
import { MappedObject, type MappingFile } from '../../model/mapping';
import type { PreviewRecord } from '../../model/mapping-editor-messages';
import type { SampleResults } from '../../model/sample-results';
import { buildSampleResults } from '../../reports/sample-results';
import type { Ctx } from '../context';
import { openClient, openReader, requireConfig, workspaceDir } from '../engine-access';
import { listRunEntries } from '../ledger-runs';

// The mapping editor's reads of the source, the ledger and Intercom: loaded on first use, so the
// editor opens without the engine.

export async function readPreviewInputs(ctx: Ctx, object: MappedObject, count: number): Promise<PreviewSample[]> {
  const reader = await openReader(ctx, await requireConfig(ctx));
  try {
    return await readPreviewRecords(reader, object, count);
  } finally {
    await reader.close();
  }
}

/** The first ticket of a department, for the preview of the Intercom ticket it would become. */
export async function readDepartmentTicket(ctx: Ctx, departmentId: number): Promise<PreviewSample | null> {
  const reader = await openReader(ctx, await requireConfig(ctx));
  try {
    return await departmentTicket(reader, departmentId);
  } finally {
    await reader.close();
  }
}

const shown = (value: unknown): string | number | boolean | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return JSON.stringify(value);
};

/** previewObject's rows in the shape the webview takes (values as text, numbers or booleans), each with its caption. */
export function previewMessageRecords(
  object: MappedObject,
  map: MappingFile,
  inputs: readonly PreviewSample[],
): PreviewRecord[] {
  return previewObject(object, map.objects[object], inputs).map((row, i) => ({
    id: row.id,
    caption: inputs[i]?.caption ?? null,
    ok: row.ok,
    fields: row.fields.map((f) => ({
      source: f.source,
      label: f.label,
      target: f.target,
      raw: shown(f.raw),
      mapped: shown(f.mapped),
      nearLimit: f.nearLimit,
      issues: f.issues.map((i) => ({ severity: i.severity, message: i.message })),
    })),
  }));
}

/** The workspace's custom attributes, with the mapped objects each may serve; none without a token. */
export async function workspaceAttributes(
  ctx: Ctx,
): Promise<{ name: string; dataType: string; objects: MappedObject[] }[]> {
  if (!(await ctx.secrets.get('intercomToken'))) return [];
  const client = await openClient(ctx, await requireConfig(ctx));
  const attributes = await fetchWorkspaceAttributes(client);
  return attributes.map((a) => ({
    name: a.name,
    dataType: a.dataType,
    objects: MappedObject.options.filter((o) => attributeModel(o) === a.model),
  }));
}

/** The workspace's teams, for the Teams value map; null without a token. */
export async function workspaceTeams(ctx: Ctx): Promise<{ id: string; name: string }[] | null> {
  if (!(await ctx.secrets.get('intercomToken'))) return null;
  const client = await openClient(ctx, await requireConfig(ctx));
  return (await client.admins.listTeams()).map((t) => ({ id: String(t.id), name: t.name }));
}

/** The results of `runId`, or of the latest sample run; undefined when there has been none. */
export async function sampleResultsOf(ctx: Ctx, map: MappingFile, runId?: string): Promise<SampleResults | undefined> {
  const dir = workspaceDir(ctx);
  const id =
    runId ??
    (await listRunEntries(dir, (m) => ctx.log.warn(m))).filter((r) => r.summary.meta.kind === 'sample').at(-1)?.summary
      .meta.id;
  if (!id) return undefined;
  const config = await requireConfig(ctx);
  const client = await openClient(ctx, config);
  const reader = await openReader(ctx, config);
  const ledger = await openLedger(dir, { warn: (m) => ctx.log.warn(m) });
  try {
    // The links need the app's id_code: buildSampleResults reads it from /me when Intercom is the target.
    return await buildSampleResults({
      ledger,
      reader,
      client,
      map,
      runId: id,
      clock: ctx.clock,
      links: {
        region: config.intercom.region.toUpperCase() as 'US' | 'EU' | 'AU',
        ...(config.intercom.baseUrl ? { baseUrl: config.intercom.baseUrl } : {}),
      },
    });
  } finally {
    await ledger.close();
    await reader.close();
  }
}
