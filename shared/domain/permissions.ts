import { z } from 'zod';

/** The data permissions a manifest may request; network access is `network:<host>`. */
export const DATA_PERMISSIONS = [
  'read:patients',
  'write:patients',
  'read:appointments',
  'write:appointments',
] as const;
export type DataPermission = (typeof DATA_PERMISSIONS)[number];

const HOST_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const NetworkHostSchema = z
  .string()
  .regex(HOST_PATTERN, 'must be a lowercase DNS host name such as api.example.com');

export const PermissionSchema = z.union([
  z.enum(DATA_PERMISSIONS),
  z
    .templateLiteral(['network:', z.string()])
    .refine(
      (permission) => HOST_PATTERN.test(permission.slice('network:'.length)),
      'network permissions name one host: network:api.example.com',
    ),
]);
export type Permission = z.infer<typeof PermissionSchema>;

export const isNetworkPermission = (permission: string): boolean => permission.startsWith('network:');
export const hostOf = (permission: string): string => permission.slice('network:'.length);
