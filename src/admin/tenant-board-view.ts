import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { Job, JobType, Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { tenantOfJobId } from '../queue/job-id.js';
import { TENANT_SCAN_LIMIT } from './tenant-overview.js';

type Status = Parameters<BullMQAdapter['getJobs']>[0][number];

/**
 * One tenant's jobs as a read-only queue of its own in Bull Board (`calls · acme`). All tenants share one BullMQ queue
 * (fair service needs that), so this view reads the queue's job ids by state, keeps the tenant's (the tenant is in the
 * id: jobIdForCall), and loads only the page shown: no job's data is read to tell whose it is. Read-only: retries and
 * cleaning stay on the whole queue's view and in the admin API, where they are checked. Up to TENANT_SCAN_LIMIT ids
 * are read per state.
 */
export class TenantBoardView extends BullMQAdapter {
  constructor(
    private readonly calls: Queue<CallJobData>,
    private readonly tenant: string,
  ) {
    super(calls as Queue, { readOnlyMode: true, displayName: `calls · ${tenant}`, prefix: `${tenant}@`, description: `The jobs of tenant ${tenant} (read-only; replay from the whole queue's view or the admin API).` });
  }

  private owns(id: string | undefined): boolean {
    return id !== undefined && tenantOfJobId(id) === this.tenant;
  }

  private async idsIn(states: readonly Status[]): Promise<string[]> {
    const ids = await this.calls.getRanges(states as JobType[], 0, TENANT_SCAN_LIMIT - 1);
    return ids.filter((id) => this.owns(id));
  }

  override async getJobs(states: Status[], start = 0, end = -1): Promise<Job[]> {
    const ids = await this.idsIn(states);
    const page = end < 0 ? ids.slice(start) : ids.slice(start, end + 1);
    const jobs = await Promise.all(page.map((id) => this.calls.getJob(id)));
    return jobs.filter((job): job is Job<CallJobData> => job !== undefined) as Job[];
  }

  override async getJob(id: string): Promise<Job | undefined> {
    return this.owns(id) ? ((await this.calls.getJob(id)) as Job | undefined) : undefined;
  }

  override async getJobCounts(): Promise<Awaited<ReturnType<BullMQAdapter['getJobCounts']>>> {
    const states = this.getJobStatuses() as Status[];
    const counts = await Promise.all(states.map(async (state) => [state, (await this.idsIn([state])).length] as const));
    return Object.fromEntries(counts) as Awaited<ReturnType<BullMQAdapter['getJobCounts']>>;
  }
}
