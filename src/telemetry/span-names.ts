/**
 * The attribute keys the service puts on its spans, in one place so that dashboards and tests name the same
 * thing. Standard OpenTelemetry keys where one exists (HTTP, messaging, error.type); `gong_ingest.*` for the rest.
 * Values are identifiers, sizes and classes only: never a credential, a header value or recording content.
 */
export const ATTR = {
  callId: 'gong_ingest.call_id',
  gongCallId: 'gong_ingest.gong_call_id',
  jobId: 'gong_ingest.job_id',
  source: 'gong_ingest.source',
  outcome: 'gong_ingest.outcome',
  attempt: 'gong_ingest.attempt',
  bytes: 'gong_ingest.bytes',
  failureClass: 'gong_ingest.failure_class',
  action: 'gong_ingest.action',
  duplicate: 'gong_ingest.duplicate',
  recordingKind: 'gong_ingest.recording.kind',
  bucket: 'gong_ingest.recording.bucket',
  repFound: 'gong_ingest.rep.resolved_by',
  errorType: 'error.type',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
  urlTemplate: 'url.template',
  serverAddress: 'server.address',
  messagingSystem: 'messaging.system',
  messagingDestination: 'messaging.destination.name',
  messagingOperation: 'messaging.operation.type',
  messageId: 'messaging.message.id',
} as const;
