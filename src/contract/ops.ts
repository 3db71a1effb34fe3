import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from './common';

export const Health = Type.Object({ status: Type.Literal('ok') }, { title: 'Health', additionalProperties: false });

const storeCheck = Type.Object(
  { ok: Type.Boolean(), error: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
const runnerState = StringEnum(['stopped', 'catching_up', 'live', 'failed'] as const);

/** Per leased role this process runs: whether it holds the lease (active) or waits to take it over. */
const leaseRoles = Type.Object(
  {
    projector: Type.Optional(StringEnum(['active', 'standby', 'stopped'] as const)),
    pushTrigger: Type.Optional(StringEnum(['active', 'standby', 'stopped'] as const)),
  },
  { additionalProperties: false },
);

export const Readiness = Type.Object(
  {
    status: StringEnum(['ready', 'not_ready'] as const),
    ready: Type.Boolean(),
    eventStore: storeCheck,
    readModels: storeCheck,
    projections: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          version: Type.Integer(),
          state: runnerState,
          // NaN (the log head could not be read) serializes as null.
          lagEvents: Nullable(Type.Number()),
          ok: Type.Boolean(),
          error: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    leases: leaseRoles,
  },
  { title: 'Readiness', additionalProperties: false },
);
export type Readiness = Static<typeof Readiness>;

export const ProjectionsStatus = Type.Object(
  {
    leases: leaseRoles,
    projections: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          version: Type.Integer(),
          state: runnerState,
          appliedPosition: Nullable(Type.String()),
          appliedRecordedAt: Nullable(Type.String()),
          eventsApplied: Type.Integer(),
          error: Nullable(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { title: 'ProjectionsStatus', additionalProperties: false },
);
export type ProjectionsStatus = Static<typeof ProjectionsStatus>;
