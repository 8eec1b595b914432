/** No import run of that name is recorded under this queue prefix. */
export class ImportRunNotFoundError extends Error {
  override readonly name = 'ImportRunNotFoundError';
  readonly code = 'IMPORT_RUN_NOT_FOUND';
  constructor(readonly run: string) {
    super(`No import run named "${run}" (gong-ingest imports lists them)`);
  }
}

/** A new run was given the name of an existing one: resuming must be asked for, not happen by accident. */
export class ImportRunExistsError extends Error {
  override readonly name = 'ImportRunExistsError';
  readonly code = 'IMPORT_RUN_EXISTS';
  constructor(readonly run: string) {
    super(`An import run named "${run}" exists already: continue it with --resume ${run}, or choose another --name`);
  }
}

/** The manifest or the S3 prefix cannot be read at all (missing file, unreadable bucket, unknown format). */
export class ImportSourceError extends Error {
  override readonly name = 'ImportSourceError';
  readonly code = 'IMPORT_SOURCE_UNREADABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An import run name that cannot be a Redis key part and a metric label value. */
export class ImportRunNameError extends Error {
  override readonly name = 'ImportRunNameError';
  readonly code = 'IMPORT_RUN_NAME_INVALID';
  constructor(readonly run: string) {
    super(`"${run.slice(0, 80)}" is not a run name: use 1-64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit`);
  }
}

/** An import for a tenant this deployment does not serve (not in TENANTS_FILE). */
export class ImportTenantError extends Error {
  override readonly name = 'ImportTenantError';
  constructor(readonly tenant: string) {
    super(`No tenant ${tenant} in TENANTS_FILE`);
  }
}
