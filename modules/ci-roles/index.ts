// The CI pipeline's identities, one concern per file: what the stacks hold (inventory) and what each resource
// type needs (catalog; AWS's facts in iam/), how an environment's resources are told apart (scopes), the statements
// derived from them (statements, implied, boundary, state-access), packing into managed policies (policies),
// the trust of the CI host (trust) and the construct (ci-roles).
export * from './boundary';
export * from './catalog';
export * from './ci-roles';
export * from './environment';
export * from './implied';
export * from './inventory';
export * from './policies';
export * from './scopes';
export * from './state-access';
export * from './statements';
export * from './trust';
