import type { ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * The ValidationPipe enforces the class-validator decorators of the DTOs; Nest's Swagger module
 * documents only the @ApiProperty options. This carries the constraints over, so that the document
 * says what the API accepts (a UUID, an e-mail address, a decimal string, at most 200 characters)
 * and clients, and fuzzers, can send what passes. Constraints an @ApiProperty states itself win.
 */

type Schema = SchemaObject & Partial<ReferenceObject>;

/** What one class-validator constraint says about a value, in JSON Schema terms. */
function constraintSchema(metadata: ValidationMetadata): Partial<SchemaObject> | undefined {
  const [first] = (metadata.constraints ?? []) as unknown[];
  switch (metadata.name) {
    case 'isUuid':
      return { format: 'uuid' };
    case 'isEmail':
      return { format: 'email' };
    case 'isUrl':
      return { format: 'uri' };
    case 'minLength':
      return { minLength: first as number };
    case 'maxLength':
      return { maxLength: first as number };
    case 'min':
      return { minimum: first as number };
    case 'max':
      return { maximum: first as number };
    case 'isInt':
      return { type: 'integer' };
    case 'isIn':
      return { enum: first as unknown[] };
    case 'arrayMinSize':
      return { minItems: first as number };
    case 'arrayMaxSize':
      return { maxItems: first as number };
    case 'matches':
    case 'isDecimalString':
    case 'isInstant':
    case 'ruleValue':
      // These carry their regular expression as the first constraint.
      return first instanceof RegExp ? { pattern: first.source } : typeof first === 'string' ? { pattern: first } : undefined;
    default:
      return undefined;
  }
}

/** Every validated property of `target` (its own and inherited) and what its constraints say. */
export function propertyConstraints(target: Type): Map<string, { value: Partial<SchemaObject>; items: Partial<SchemaObject> }> {
  const result = new Map<string, { value: Partial<SchemaObject>; items: Partial<SchemaObject> }>();
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(target, '', false, false)) {
    const schema = constraintSchema(metadata);
    if (!schema) continue;
    const entry = result.get(metadata.propertyName) ?? { value: {}, items: {} };
    Object.assign(metadata.each ? entry.items : entry.value, schema);
    result.set(metadata.propertyName, entry);
  }
  return result;
}

/** Adds the constraints to a property schema without overriding what it states itself. */
function merge(schema: Schema, constraints: { value: Partial<SchemaObject>; items: Partial<SchemaObject> }): void {
  if (schema.$ref) return;
  for (const [key, value] of Object.entries(constraints.value) as [keyof SchemaObject, unknown][]) {
    if (schema[key] === undefined || (key === 'type' && schema.type === 'number')) (schema as Record<string, unknown>)[key] = value;
  }
  if (schema.items && !('$ref' in schema.items)) {
    for (const [key, value] of Object.entries(constraints.items) as [keyof SchemaObject, unknown][]) {
      if ((schema.items as Record<string, unknown>)[key] === undefined) (schema.items as Record<string, unknown>)[key] = value;
    }
  }
}

/** The request DTOs: every class the ValidationPipe validates, by name (the name Swagger gives its schema). */
function validatedClasses(): Map<string, Type> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Type | string, unknown> };
  const classes = new Map<string, Type>();
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target !== 'function') continue;
    const other = classes.get(target.name);
    // Swagger names a schema after its class: two DTOs of one name would share (and garble) one schema.
    if (other && other !== target)
      throw new Error(`two validated DTO classes are named ${target.name}: rename one, the OpenAPI document names schemas after classes`);
    classes.set(target.name, target);
  }
  return classes;
}

/** Constraints of the request DTOs onto their component schemas. */
export function applyBodyConstraints(schemas: Record<string, Schema>): void {
  for (const [name, target] of validatedClasses()) {
    const schema = schemas[name];
    if (!schema?.properties) continue;
    for (const [property, constraints] of propertyConstraints(target)) {
      const propertySchema = schema.properties[property] as Schema | undefined;
      if (propertySchema) merge(propertySchema, constraints);
    }
  }
}

/** Constraints of a @Query() DTO onto the query parameters Swagger expanded it into. */
export function applyQueryConstraints(parameters: ParameterObject[], queryTypes: Type[]): void {
  for (const target of queryTypes) {
    for (const [property, constraints] of propertyConstraints(target)) {
      const parameter = parameters.find((p) => p.in === 'query' && p.name === property);
      if (parameter?.schema) merge(parameter.schema as Schema, constraints);
    }
  }
}
