/**
 * Adjustments to Intercom's 2.16 description so that it accepts what the real API accepts
 * (reference NOTES §9). Each is applied to a deep copy of the document, never to the file.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Walks every object in a JSON tree (parents before children). */
function walk(node: unknown, visit: (obj: Json, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, key);
    return;
  }
  if (!isObject(node)) return;
  visit(node, key);
  for (const [k, v] of Object.entries(node)) walk(v, visit, k);
}

/** oneOf → anyOf where Intercom's branches overlap (they lack additionalProperties:false). */
function oneOfToAnyOf(schema: unknown): void {
  walk(schema, (obj) => {
    if (Array.isArray(obj.oneOf)) {
      obj.anyOf = obj.oneOf;
      delete obj.oneOf;
    }
  });
}

export function relaxDocument(doc: Json): Json {
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;

  // Custom attribute values: Intercom's own examples send booleans, decimals and id lists.
  const customAttributes = schemas.custom_attributes;
  if (isObject(customAttributes)) customAttributes.additionalProperties = {};

  // POST /tags bodies and PUT /data_attributes/{id} bodies are "valid under each of" their oneOf branches.
  oneOfToAnyOf(schemas.update_data_attribute_request);
  const tagsPost = (((doc.paths as Json)['/tags'] as Json | undefined)?.post as Json | undefined)?.requestBody;
  oneOfToAnyOf(tagsPost);

  walk(doc, (obj, key) => {
    // OpenAPI 3.0 `nullable` without a `type` is rejected by Ajv: express it as anyOf null.
    if ('nullable' in obj && obj.type === undefined && key !== 'properties') {
      const nullable = obj.nullable === true;
      delete obj.nullable;
      if (nullable) {
        const rest = { ...obj };
        for (const k of Object.keys(obj)) delete obj[k];
        obj.anyOf = [{ type: 'null' }, rest];
      }
    }
    if (key === 'properties') {
      // Custom attribute values are typed by the attribute definitions, not the description: Intercom's
      // own examples send booleans and decimals where `additionalProperties: string` is declared
      // (contacts, companies, conversations, custom objects). The sandbox checks them against the definitions.
      const custom = obj.custom_attributes;
      if (isObject(custom) && custom.additionalProperties !== undefined) custom.additionalProperties = {};
      // "monthly_spend … will truncate floats": decimals are accepted although `integer` is declared.
      const spend = obj.monthly_spend;
      if (isObject(spend) && spend.type === 'integer') spend.type = 'number';
    }
    // Ids declared as strings are accepted as numbers by Intercom (admin_id: 991267696, tag id: 81).
    if (key === 'properties') {
      for (const [name, prop] of Object.entries(obj)) {
        if (
          (name === 'id' || name.endsWith('_id')) &&
          isObject(prop) &&
          prop.type === 'string' &&
          prop.enum === undefined
        ) {
          prop.type = ['string', 'integer'];
        }
      }
    }
  });
  return doc;
}
