/** What one process of the cluster does; one image runs any mix of them. */
export type Role = 'api' | 'projector' | 'push';

export const ALL_ROLES: readonly Role[] = ['api', 'projector', 'push'];

/** `ROLES=api,push` → the set; unset or empty means every role. Unknown names are reported as problems. */
export const parseRoles = (raw: string | undefined, problems: string[]): ReadonlySet<Role> => {
  if (raw === undefined || raw.trim() === '') return new Set(ALL_ROLES);
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ALL_ROLES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    problems.push(`ROLES must be a comma list of ${ALL_ROLES.join(', ')}, got "${raw}"`);
    return new Set(ALL_ROLES);
  }
  return new Set(names as Role[]);
};
