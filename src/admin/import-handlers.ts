import { z } from 'zod';
import { ImportRunExistsError, ImportRunNameError, ImportRunNotFoundError, ImportSourceError, ImportTenantError } from '../import/import-errors.js';
import type { ImportService } from '../import/import-service.js';
import type { AdminContext, AdminHandler, AdminResponse } from './admin-handlers.js';
import { fieldProblems, tenantSchema } from './admin-schemas.js';

/** POST /admin/imports body. `source` is a manifest path on the server (a mounted volume) or s3://bucket/prefix/. */
export const startImportBody = z.strictObject({
  source: z.string().trim().min(1, 'must name a manifest file or s3://bucket/prefix/').max(2048),
  name: z.string().optional(),
  dryRun: z.boolean({ error: 'must be true or false' }).default(false),
  /** The Gong company to import into: a TENANTS_FILE id; the default tenant when absent. */
  tenant: tenantSchema.optional(),
});

/** Failures and invalid rows listed in one answer; the counts are always whole. */
const LISTED = 100;

function service(ctx: AdminContext): ImportService | undefined {
  return ctx.imports;
}

const notConfigured: AdminResponse = { status: 404, body: { error: 'imports_not_available', message: 'Imports are not available in this process' } };

export const listImportsHandler: AdminHandler = async (_req, ctx) => {
  const imports = service(ctx);
  if (!imports) return notConfigured;
  const runs = await imports.list();
  const etas = await Promise.all(runs.map((r) => imports.etaSeconds(r)));
  return { status: 200, body: { count: runs.length, runs: runs.map((r, i) => ({ ...r, etaSeconds: Math.round(etas[i]!) })) } };
};

export const showImportHandler: AdminHandler = async (req, ctx) => {
  const imports = service(ctx);
  if (!imports) return notConfigured;
  try {
    const run = await imports.get(req.params.name ?? '');
    const [invalidRows, failedJobs, etaSeconds] = await Promise.all([imports.store.invalidRows(run.name, LISTED), imports.store.failedJobs(run.name, LISTED), imports.etaSeconds(run)]);
    const failed = await Promise.all(failedJobs.map(async (f) => ({ ...f, failedReason: (await imports.queueOf().getJob(f.jobId))?.failedReason })));
    return { status: 200, body: { ...run, etaSeconds: Math.round(etaSeconds), invalidRows, failedJobs: failed } };
  } catch (error) {
    return importErrorAnswer(error);
  }
};

export const startImportHandler: AdminHandler = async (req, ctx) => {
  const imports = service(ctx);
  if (!imports) return notConfigured;
  const body = startImportBody.safeParse(req.body ?? {});
  if (!body.success) return { status: 400, body: { error: 'invalid_request', message: 'The request is invalid', fields: fieldProblems(body.error, 'body') } };
  try {
    if (body.data.dryRun) {
      const report = await imports.dryRun(body.data.source, undefined, body.data.tenant);
      return { status: 200, body: { dryRun: true, ...report, estimatedSeconds: Math.round(await imports.estimateSeconds(report.valid, body.data.tenant)) } };
    }
    const started = await imports.start(body.data.source, body.data.name, undefined, body.data.tenant);
    watchInBackground(ctx, started.run.name, started.enqueued);
    ctx.logger.info({ run: started.run.name, source: started.run.source, tenant: started.run.tenant, via: 'admin api' }, 'import started');
    return { status: 202, body: { started: true, run: started.run } };
  } catch (error) {
    return importErrorAnswer(error);
  }
};

export const resumeImportHandler: AdminHandler = async (req, ctx) => {
  const imports = service(ctx);
  if (!imports) return notConfigured;
  try {
    const started = await imports.resume(req.params.name ?? '');
    watchInBackground(ctx, started.run.name, started.enqueued);
    ctx.logger.info({ run: started.run.name, via: 'admin api' }, 'import resumed');
    return { status: 202, body: { resumed: true, run: started.run } };
  } catch (error) {
    return importErrorAnswer(error);
  }
};

export const cancelImportHandler: AdminHandler = async (req, ctx) => {
  const imports = service(ctx);
  if (!imports) return notConfigured;
  try {
    const result = await imports.cancel(req.params.name ?? '');
    ctx.logger.info({ run: req.params.name, ...result, via: 'admin api' }, 'import cancelled');
    return { status: 200, body: { cancelled: true, ...result } };
  } catch (error) {
    return importErrorAnswer(error);
  }
};

/** An import started over HTTP reads on in this process; a crash of it is resumed like a CLI's (POST …/resume). */
function watchInBackground(ctx: AdminContext, run: string, enqueued: Promise<void>): void {
  enqueued.then(
    () => ctx.logger.info({ run }, 'import fully queued'),
    (error: unknown) => ctx.logger.error({ run, err: { message: (error as Error).message } }, 'import stopped reading; resume it once the cause is fixed'),
  );
}

function importErrorAnswer(error: unknown): AdminResponse {
  if (error instanceof ImportRunNotFoundError) return { status: 404, body: { error: 'import_not_found', message: error.message, run: error.run } };
  if (error instanceof ImportRunExistsError) return { status: 409, body: { error: 'import_exists', message: error.message, run: error.run } };
  if (error instanceof ImportRunNameError) return { status: 400, body: { error: 'invalid_request', message: 'The request is invalid', fields: [{ field: 'name', problem: error.message }] } };
  if (error instanceof ImportTenantError) return { status: 404, body: { error: 'unknown_tenant', message: error.message, fields: [{ field: 'body.tenant', problem: error.message }] } };
  if (error instanceof ImportSourceError) return { status: 400, body: { error: 'invalid_request', message: 'The request is invalid', fields: [{ field: 'body.source', problem: error.message }] } };
  throw error;
}
