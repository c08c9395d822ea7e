import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

const COMPONENT_PREFIX = '#/components/schemas/';
// Refs point here while the document is built: a shape may read differently as a request (defaults
// optional, coercions open) than as a response, and which name each io gets is known only at the end.
const PENDING_PREFIX = '#/$pending/';

/**
 * Names the schemas a route reaches by the constant it is exported as (`InstallationSchema` →
 * `Installation`), on top of their own metadata (`.describe()`): zod then emits each once, under
 * `$defs`, and refers to it from everywhere else.
 */
class ComponentNameRegistry extends z.core.$ZodRegistry<z.core.GlobalMeta> {
  readonly names = new Map<z.core.$ZodType, string>();

  override get(schema: z.core.$ZodType): z.core.GlobalMeta | undefined {
    const meta = z.globalRegistry.get(schema);
    const id = this.names.get(schema);
    return id === undefined ? meta : { ...meta, id };
  }
}

function namesOf(modules: readonly Readonly<Record<string, unknown>>[]): ComponentNameRegistry {
  const registry = new ComponentNameRegistry();
  const taken = new Map<string, z.core.$ZodType>();
  for (const module of modules) {
    for (const [exportName, value] of Object.entries(module)) {
      if (!(value instanceof z.ZodType) || !exportName.endsWith('Schema') || registry.names.has(value))
        continue;
      const name = exportName.slice(0, -'Schema'.length);
      if (taken.has(name) && taken.get(name) !== value)
        throw new Error(`two schemas export the name ${name}`);
      taken.set(name, value);
      registry.names.set(value, name);
    }
  }
  return registry;
}

/** zod writes a record keyed by an enum as `propertyNames` + `required` with no `properties`. */
function withRequiredProperties(schema: JsonSchema): JsonSchema {
  const required = schema.required as string[] | undefined;
  const values = schema.additionalProperties;
  if (schema.properties || !schema.propertyNames || !required || typeof values !== 'object') return schema;
  return { ...schema, properties: Object.fromEntries(required.map((name) => [name, values])) };
}

function rewrite(value: unknown, refOf: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, refOf));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, item]) =>
    key === '$ref' && typeof item === 'string' ? [key, refOf(item)] : [key, rewrite(item, refOf)],
  );
  return withRequiredProperties(Object.fromEntries(entries));
}

/**
 * Turns the zod schemas the handlers parse with into the document's JSON Schemas, each named
 * shape once in `components.schemas`. Call `finish` with the built document to resolve its refs.
 */
export class ComponentSchemas {
  readonly #registry: ComponentNameRegistry;
  readonly #definitions = { input: new Map<string, JsonSchema>(), output: new Map<string, JsonSchema>() };

  constructor(modules: readonly Readonly<Record<string, unknown>>[]) {
    this.#registry = namesOf(modules);
  }

  /** The JSON Schema of `schema` as a request (`input`) or a response (`output`) reads it. */
  schemaOf(schema: z.ZodType, io: Io): JsonSchema {
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = z.toJSONSchema(schema, { io, unrepresentable: 'any', metadata: this.#registry }) as JsonSchema;
    const pending = (ref: string) =>
      ref.startsWith('#/$defs/') ? `${PENDING_PREFIX}${io}/${ref.slice('#/$defs/'.length)}` : ref;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>))
      this.#definitions[io].set(name, rewrite(definition, pending) as JsonSchema);
    return rewrite(root, pending) as JsonSchema;
  }

  /** A named shape's own JSON Schema, for a root that is only a `$ref` (parameters need the properties). */
  resolve(schema: JsonSchema, io: Io): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(`${PENDING_PREFIX}${io}/`)) return schema;
    return this.#definitions[io].get(ref.slice(`${PENDING_PREFIX}${io}/`.length)) ?? schema;
  }

  /**
   * The document with every ref pointing into `components.schemas`, and those schemas. A shape that
   * reads the same both ways has one name; one that differs keeps its name for responses and
   * `<name>Input` for requests.
   */
  finish<Document>(document: Document): { document: Document; schemas: Record<string, JsonSchema> } {
    const { input, output } = this.#definitions;
    const inputNameOf = (name: string) => {
      const asOutput = output.get(name);
      return asOutput === undefined || JSON.stringify(asOutput) === JSON.stringify(input.get(name))
        ? name
        : `${name}Input`;
    };
    const refOf = (ref: string) => {
      if (!ref.startsWith(PENDING_PREFIX)) return ref;
      const [io, name = ''] = ref.slice(PENDING_PREFIX.length).split('/');
      return `${COMPONENT_PREFIX}${io === 'input' ? inputNameOf(name) : name}`;
    };
    const schemas: Record<string, JsonSchema> = {};
    for (const [name, definition] of output) schemas[name] = definition;
    for (const [name, definition] of input) {
      const inputName = inputNameOf(name);
      if (inputName !== name && output.has(inputName))
        throw new Error(`${name}'s request variant would take the name of the schema ${inputName}`);
      schemas[inputName] = definition;
    }
    const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
    return {
      document: rewrite(document, refOf) as Document,
      schemas: rewrite(sorted, refOf) as Record<string, JsonSchema>,
    };
  }
}
