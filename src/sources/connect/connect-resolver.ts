import { ConnectClient, ConnectServiceException, DescribeContactCommand, DescribeUserCommand, type User } from '@aws-sdk/client-connect';
import { DetailsInvalidError, DetailsPendingError } from '../../calls/details-errors.js';
import { hintsFor, type DetailsRequest, type DetailsResolver } from '../../calls/details-resolver.js';
import { CONNECT_RESOLVER } from './connect-key.js';
import { connectContactCall } from './connect-contact-call.js';

export interface ConnectResolverOptions {
  /** CONNECT_INSTANCE_ID. */
  instanceId: string;
  /** CONNECT_ENDPOINT: overrides the regional endpoint (tests, VPC endpoints). */
  endpoint?: string;
  /** The instance's region (see load-config.ts). */
  region: string;
  /** For tests; by default a client with the standard AWS credential chain. */
  client?: ConnectClient;
}

/** Credentials from the AWS SDK's standard chain. */
export function createConnectClient(endpoint: string | undefined, region: string): ConnectClient {
  return new ConnectClient({
    ...(endpoint ? { endpoint } : {}),
    region,
    // BullMQ owns retries; a worker should not sit in the SDK's own backoff.
    maxAttempts: 2,
  });
}

const PERMANENT = new Set(['AccessDeniedException', 'InvalidParameterException', 'InvalidRequestException', 'UnrecognizedClientException']);

/**
 * Amazon Connect contacts: DescribeContact, then DescribeUser for the agent. The recording can reach S3 before
 * the contact is fully described, so "not found" and a missing start are retried with backoff, not failed.
 */
export function createConnectResolver(options: ConnectResolverOptions): DetailsResolver {
  const client = options.client ?? createConnectClient(options.endpoint, options.region);
  return async (data: DetailsRequest) => {
    const { contactId } = hintsFor(data, CONNECT_RESOLVER);
    if (!contactId) throw new DetailsInvalidError('The Connect job names no contactId');
    const described = await call(`DescribeContact ${contactId}`, () => client.send(new DescribeContactCommand({ InstanceId: options.instanceId, ContactId: contactId })));
    const contact = described.Contact;
    if (!contact) throw new DetailsPendingError(`Connect returned no contact ${contactId} yet`);
    let agent: User | undefined;
    const agentId = contact.AgentInfo?.Id;
    if (agentId) {
      try {
        agent = (await client.send(new DescribeUserCommand({ InstanceId: options.instanceId, UserId: agentId }))).User;
      } catch (error) {
        // A deleted agent leaves the call without a rep from Connect; the default user may still take it.
        if (!(error instanceof ConnectServiceException && error.name === 'ResourceNotFoundException')) throw classify(`DescribeUser ${agentId}`, error);
      }
    }
    return connectContactCall(contact, agent);
  };
}

async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw classify(what, error);
  }
}

function classify(what: string, error: unknown): Error {
  if (error instanceof ConnectServiceException) {
    if (error.name === 'ResourceNotFoundException') return new DetailsPendingError(`Connect does not know ${what} yet`, { cause: error });
    if (PERMANENT.has(error.name) || error.$metadata.httpStatusCode === 403) {
      return new DetailsInvalidError(`Connect refused ${what} (${error.name}): check CONNECT_INSTANCE_ID and the service's connect:DescribeContact/DescribeUser permissions, then replay`, { cause: error });
    }
    return new DetailsPendingError(`Connect failed ${what} (${error.name} ${error.$metadata.httpStatusCode ?? ''}); will retry`, { cause: error });
  }
  return new DetailsPendingError(`Connect could not be reached for ${what} (${(error as Error).name})`, { cause: error });
}
