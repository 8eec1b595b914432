/**
 * Gong's error texts that clients must recognise (GONG-FACTS.md). They are the only signal for these outcomes,
 * so they live in one place and the tests check them word for word.
 */
export const mediaTexts = {
  alreadyHandled: (callId: string) => `Media for call ${callId} has already been handled`,
  sameContent: () => 'A media file with the same content has been uploaded in the past',
} as const;

/** The link to the call in Gong's web app, as the media answer carries it. */
export function callUrl(callId: string): string {
  return `https://app.gong.io/call?id=${callId}`;
}
