/** A small https GET (a certificate, a subscription confirmation): no redirects, a deadline and a size cap. */
export async function fetchSmallText(url: URL, options: { timeoutMs?: number; maxBytes?: number } = {}): Promise<{ status: number; text: string }> {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new Error(`answer of ${declared} bytes is larger than ${maxBytes}`);
  }
  const text = await response.text();
  if (Buffer.byteLength(text) > maxBytes) throw new Error(`answer is larger than ${maxBytes} bytes`);
  return { status: response.status, text };
}
