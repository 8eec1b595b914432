import { z } from 'zod';

/** An Amazon SNS HTTP(S) delivery: the JSON body SNS posts as text/plain. Unknown fields pass through. */
export const snsMessageSchema = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Subject: z.string().optional(),
  Message: z.string(),
  Timestamp: z.iso.datetime({ offset: true }),
  SignatureVersion: z.enum(['1', '2'], { message: 'must be "1" (RSA-SHA1) or "2" (RSA-SHA256)' }),
  Signature: z.string().min(1),
  SigningCertURL: z.url(),
  SubscribeURL: z.url().optional(),
  Token: z.string().optional(),
});

export type SnsMessage = z.infer<typeof snsMessageSchema>;

/**
 * The text SNS signs: `name\nvalue\n` for each field in a fixed order. Notifications sign Subject only when
 * present; confirmations sign SubscribeURL and Token instead.
 */
export function snsStringToSign(message: SnsMessage): string {
  const fields =
    message.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  let text = '';
  for (const field of fields) {
    const value = message[field];
    if (value === undefined) continue;
    text += `${field}\n${value}\n`;
  }
  return text;
}
