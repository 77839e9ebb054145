import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import { isMissingFile, messageOf } from '../model/error-message';
import { MappingFile } from '../model/mapping';
import { migrationPaths } from '../model/workspace-paths';
import { zodIssueLines } from '../model/zod-issues';
import { MappingError } from './errors';

export class MappingFileError extends MappingError {
  override readonly name = 'MappingFileError';
}

export function mappingPath(workspace: string): string {
  return migrationPaths(workspace).mapping;
}

/** Parses mapping.json text; errors name the file, the JSON path and what is wrong. */
export function parseMappingText(text: string, file = 'mapping.json'): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingFileError(`${file} is not valid JSON: ${messageOf(error)}`);
  }
  const result = MappingFile.safeParse(json);
  if (!result.success) {
    throw new MappingFileError(
      `${file} does not match the mapping schema:\n  ${zodIssueLines(result.error, 10).join('\n  ')}`,
    );
  }
  return result.data;
}

export async function readMappingFile(workspace: string): Promise<MappingFile> {
  const file = mappingPath(workspace);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) throw new MappingFileError(`${file} does not exist yet: run st2ic map propose`);
    throw error;
  }
  return parseMappingText(text, file);
}

export function mappingText(map: MappingFile): string {
  return `${JSON.stringify(map, null, 2)}\n`;
}

/** Writes the map (and its JSON schema beside it, for editor validation) atomically. */
export async function writeMappingFile(workspace: string, map: MappingFile): Promise<string> {
  const file = mappingPath(workspace);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, mappingText(map), 'utf8');
  await rename(tmp, file);
  await writeFile(
    path.join(path.dirname(file), 'mapping.schema.json'),
    `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`,
    'utf8',
  );
  return file;
}

/** JSON Schema of mapping.json, generated from the zod schema (one source of truth). */
export function mappingJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(MappingFile, { io: 'input', unrepresentable: 'any', target: 'draft-7' }),
    title: 'SmarterTrack → Intercom mapping',
  };
}
