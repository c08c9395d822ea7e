/**
 * How many review writes (put, delete, report, reply) one user and one tenant may make per window.
 * The one place these figures live; a tenant's limit is several users' worth, so one noisy user
 * cannot lock out colleagues, and a tenant cannot flood a plugin with sock-puppet users.
 */
export const REVIEW_WRITE_LIMITS = {
  perUser: 10,
  perTenant: 50,
  windowMs: 60 * 60 * 1000,
} as const;
export type ReviewWriteLimits = {
  readonly perUser: number;
  readonly perTenant: number;
  readonly windowMs: number;
};
