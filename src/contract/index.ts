/** The API contract: every request and response schema, from which types, validators and documents derive. */
export * from './common';
export * from './channels';
export * from './posts';
export * from './discussions';
export * from './memberships';
export * from './integrations';
export * from './ops';
export * from './realtime';
