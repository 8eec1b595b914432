/** How requests to one Gong company authenticate: its own file, so the tenants' settings can name it without a cycle. */
export type GongAuth =
  | { kind: 'basic'; accessKey: string; accessKeySecret: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' };
