import { acceptCall, type EnqueueCall } from '../accept-call.js';
import { zodFieldProblems } from '../../validation/field-problems.js';
import { invalid, unauthorized, type SourceRequest, type SourceResponse } from '../source-handler.js';
import { parseJsonWithin } from '../intake/json-limits.js';
import { genericWebhookSchema } from './generic-payload.js';
import { genericCallToJob } from './generic-to-job.js';
import { verifyStandardWebhook } from './verify-standard-webhook.js';

export interface GenericWebhookOptions {
  /** `whsec_...` Standard Webhooks secret. */
  secret: string;
  /** @defaultValue 300 */
  toleranceSeconds: number;
  allowedBuckets: readonly string[];
  enqueue: EnqueueCall;
}

/** `POST /webhooks/generic`: a Standard Webhooks-signed JSON event for phone systems that can send one. */
export function createGenericWebhookHandler(options: GenericWebhookOptions) {
  const allowed = new Set(options.allowedBuckets);
  return async function handleGenericWebhook(req: SourceRequest): Promise<SourceResponse> {
    const verified = verifyStandardWebhook(
      { id: req.headers['webhook-id'], timestamp: req.headers['webhook-timestamp'], signature: req.headers['webhook-signature'] },
      req.rawBody,
      options.secret,
      options.toleranceSeconds,
    );
    if (!verified.ok) return unauthorized(`Signature check failed: ${verified.problem}`);

    const json = parseJsonWithin(req.rawBody, '(body)');
    if (!json.ok) return invalid(json.fields);
    const parsed = genericWebhookSchema.safeParse(json.value);
    if (!parsed.success) return invalid(zodFieldProblems(parsed.error));
    const { bucket } = parsed.data.data.recording;
    if (!allowed.has(bucket)) {
      return invalid([{ field: 'data.recording.bucket', problem: `bucket "${bucket}" is not one this service may read (S3_ALLOWED_BUCKETS)` }]);
    }
    return acceptCall('generic', genericCallToJob(parsed.data.data), options.enqueue);
  };
}
