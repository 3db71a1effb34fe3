import type { ProjectionSpec } from './readModelStore';

export type ProjectionCatalog = {
  register: (spec: ProjectionSpec) => void;
  projections: () => IterableIterator<string>;
  specOf: (projection: string) => ProjectionSpec;
  /** The projection whose versions a collection follows. */
  ownerOf: (collection: string) => string;
};

/** The projections a read-model store was told about, and which one owns each collection. */
export const createProjectionCatalog = (): ProjectionCatalog => {
  const specs = new Map<string, ProjectionSpec>();
  const owners = new Map<string, string>();
  return {
    register: (spec) => {
      specs.set(spec.name, spec);
      for (const collection of spec.collections) owners.set(collection.name, spec.name);
    },
    projections: () => specs.keys(),
    specOf: (projection) => {
      const spec = specs.get(projection);
      if (!spec) throw new RangeError(`Unknown projection: ${projection}`);
      return spec;
    },
    ownerOf: (collection) => {
      const owner = owners.get(collection);
      if (!owner) throw new RangeError(`Unknown collection: ${collection}`);
      return owner;
    },
  };
};
