import { createServer, type ServerResponse } from 'node:http';
import { closeServer, listenOn, logRequest, type LoggedRequest } from './request-log.js';

export interface StandInContact {
  id: string;
  initiationMethod: string;
  initiationTimestamp: Date;
  disconnectTimestamp?: Date;
  customerNumber?: string;
  agentId?: string;
  /** Answer ResourceNotFoundException this many times first (metadata arriving late). */
  notFoundTimes?: number;
}

export interface StandInUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
}

/**
 * The two Amazon Connect API operations the service calls (DescribeContact, DescribeUser) over real HTTP, in the
 * REST-JSON shape @aws-sdk/client-connect reads; the service reaches it through CONNECT_ENDPOINT.
 */
export interface ConnectStandIn {
  url: string;
  instanceId: string;
  requests: LoggedRequest[];
  addContact(contact: StandInContact): void;
  addUser(user: StandInUser): void;
  close(): Promise<void>;
}

const seconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

export async function startConnectStandIn(instanceId = '11111111-2222-3333-4444-555555555555'): Promise<ConnectStandIn> {
  const contacts = new Map<string, StandInContact>();
  const users = new Map<string, StandInUser>();
  const requests: LoggedRequest[] = [];
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const notFound = (res: ServerResponse, what: string) =>
    json(res, 404, { Message: `${what} not found` }, { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.connect/' });

  const server = createServer((req, res) => {
    const entry = logRequest(requests, req);
    // Every AWS request is SigV4-signed; the stand-in only checks that a signature is there.
    if (!entry.authorization?.startsWith('AWS4-HMAC-SHA256')) return json(res, 403, { message: 'Missing Authentication Token' });
    const contactPath = /^\/contacts\/([^/]+)\/([^/?]+)$/.exec(entry.path);
    if (contactPath && contactPath[1] === instanceId) {
      const contact = contacts.get(decodeURIComponent(contactPath[2]!));
      if (!contact) return notFound(res, 'Contact');
      if ((contact.notFoundTimes ?? 0) > 0) {
        contact.notFoundTimes!--;
        return notFound(res, 'Contact');
      }
      return json(res, 200, {
        Contact: {
          Id: contact.id,
          Channel: 'VOICE',
          InitiationMethod: contact.initiationMethod,
          InitiationTimestamp: seconds(contact.initiationTimestamp),
          DisconnectTimestamp: seconds(contact.disconnectTimestamp),
          ...(contact.agentId ? { AgentInfo: { Id: contact.agentId } } : {}),
          ...(contact.customerNumber ? { CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: contact.customerNumber } } : {}),
          SystemEndpoint: { Type: 'TELEPHONE_NUMBER', Address: '+18005550100' },
        },
      });
    }
    const userPath = /^\/users\/([^/]+)\/([^/?]+)$/.exec(entry.path);
    if (userPath && userPath[1] === instanceId) {
      const user = users.get(decodeURIComponent(userPath[2]!));
      if (!user) return notFound(res, 'User');
      return json(res, 200, {
        User: { Id: user.id, Username: user.username, IdentityInfo: { Email: user.email, FirstName: user.firstName, LastName: user.lastName } },
      });
    }
    json(res, 404, { message: 'no such route' });
  });
  const port = await listenOn(server);
  return {
    url: `http://127.0.0.1:${port}`,
    instanceId,
    requests,
    addContact: (c) => contacts.set(c.id, c),
    addUser: (u) => users.set(u.id, u),
    close: () => closeServer(server),
  };
}
