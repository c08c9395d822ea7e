import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ComponentSchemas } from '../../../../shared/http/openapi-schemas.ts';

const PetIdSchema = z
  .string()
  .regex(/^p-\d+$/)
  .describe('A pet id');
const PetSchema = z.object({ id: PetIdSchema, legs: z.number().int().min(0).default(4) });
const ColourSchema = z.enum(['red', 'blue']);
const module = { PetIdSchema, PetSchema, ColourSchema, notASchema: 3, Helper: z.string() };

describe('ComponentSchemas', () => {
  it('names a schema after its export, once, and refers to it from every use', () => {
    const schemas = new ComponentSchemas([module]);

    const list = schemas.schemaOf(z.object({ items: z.array(PetSchema) }), 'output');
    const one = schemas.schemaOf(PetSchema, 'output');
    const { document, schemas: components } = schemas.finish({ list, one });

    expect(document).toEqual({
      list: expect.objectContaining({
        properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } },
      }),
      one: { $ref: '#/components/schemas/Pet' },
    });
    expect(Object.keys(components)).toEqual(['Pet', 'PetId']);
    expect(components.PetId).toEqual(expect.objectContaining({ description: 'A pet id' }));
  });

  it('gives a shape that reads differently as a request its own Input name', () => {
    const schemas = new ComponentSchemas([module]);

    const request = schemas.schemaOf(PetSchema, 'input');
    const response = schemas.schemaOf(PetSchema, 'output');
    const id = schemas.schemaOf(PetIdSchema, 'input');
    const { document, schemas: components } = schemas.finish({ request, response, id });

    expect(document).toEqual({
      request: { $ref: '#/components/schemas/PetInput' },
      response: { $ref: '#/components/schemas/Pet' },
      id: { $ref: '#/components/schemas/PetId' },
    });
    expect(components.Pet?.required).toEqual(['id', 'legs']);
    expect(components.PetInput?.required).toEqual(['id']);
  });

  it('resolves a named root to its own schema, for parameters that need its properties', () => {
    const schemas = new ComponentSchemas([module]);

    const root = schemas.schemaOf(PetSchema, 'input');

    expect(Object.keys(schemas.resolve(root, 'input').properties as object)).toEqual(['id', 'legs']);
  });

  it('leaves refs it did not write alone', () => {
    const schemas = new ComponentSchemas([module]);

    const { document } = schemas.finish({ problem: { $ref: '#/components/schemas/Problem' } });

    expect(document).toEqual({ problem: { $ref: '#/components/schemas/Problem' } });
  });

  it('spells out the properties of a record keyed by an enum', () => {
    const schemas = new ComponentSchemas([module]);

    const counts = schemas.schemaOf(z.record(ColourSchema, z.number()), 'output');

    expect(counts).toEqual(
      expect.objectContaining({
        required: ['red', 'blue'],
        properties: { red: { type: 'number' }, blue: { type: 'number' } },
      }),
    );
  });

  it('refuses a request variant whose name another schema already has', () => {
    const PetInputSchema = z.object({ name: z.string() });
    const schemas = new ComponentSchemas([{ PetSchema, PetInputSchema }]);

    schemas.schemaOf(PetSchema, 'input');
    schemas.schemaOf(PetSchema, 'output');
    schemas.schemaOf(PetInputSchema, 'output');

    expect(() => schemas.finish({})).toThrow(/PetInput/);
  });

  it('refuses two different schemas exported under one name', () => {
    expect(() => new ComponentSchemas([{ PetSchema }, { PetSchema: z.string() }])).toThrow(/Pet/);
  });
});
