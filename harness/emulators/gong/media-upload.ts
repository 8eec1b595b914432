import { gongError, newRequestId } from './answers.js';
import type { EmulatorContext } from './context.js';
import type { Exchange } from './exchange.js';
import { callUrl, mediaTexts } from './media-texts.js';
import { receiveMediaFile } from './receive-media-file.js';
import type { UploadProgress } from './types.js';

/** Room for multipart framing (boundaries, part headers) above the file size limit when judging Content-Length. */
const MULTIPART_ALLOWANCE = 64 * 1024;

/**
 * PUT /v2/calls/{id}/media. Everything that can be judged from the headers is answered before reading the body;
 * the body is then streamed (hashed and counted, never held) and the media stored only if it arrived whole.
 */
export async function uploadMedia(exchange: Exchange, context: EmulatorContext, callId: string): Promise<void> {
  const { req } = exchange;
  const { options, ledger, faults, events } = context;

  const call = ledger.call(callId);
  if (!call) return exchange.reply(gongError(404, `Call ${callId} was not found`));

  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    return exchange.reply(gongError(415, `Unsupported Media Type ${contentType || '(none)'}: send multipart/form-data with the recording in the field mediaFile`));
  }
  const declared = req.headers['content-length'];
  if (declared === undefined && options.requireContentLength) {
    return exchange.reply(gongError(411, 'Length Required: send the media body with a Content-Length'));
  }
  if (declared !== undefined && Number(declared) > options.maxMediaBytes + MULTIPART_ALLOWANCE) {
    // Not worth draining gigabytes to answer politely: answer, then close the connection.
    return exchange.reply({ ...gongError(400, `The media file is larger than the limit of ${options.maxMediaBytes} bytes`), closeConnection: true });
  }
  if (call.media) return exchange.reply(gongError(400, mediaTexts.alreadyHandled(callId)));

  const cutAfter = faults.takeCut();
  const received = await receiveMediaFile(req, {
    maxBytes: options.maxMediaBytes,
    bytesPerSecond: () => options.uploadBytesPerSecond,
    ...(cutAfter !== undefined ? { cutAfter } : {}),
    onCut: () => exchange.cut(),
    onProgress: (bytesReceived) => events.emit('upload-progress', { callId, bytesReceived } satisfies UploadProgress),
  });
  // A cut was recorded by exchange.cut(); a client that went away is recorded (499) when its socket closes.
  if (received.kind === 'cut' || received.kind === 'aborted') return;
  if (received.kind === 'rejected') return exchange.reply(gongError(400, received.message));

  // Judge again now that the body is in: another upload to this call (or a reset) may have finished meanwhile.
  const current = ledger.call(callId);
  if (!current) return exchange.reply(gongError(404, `Call ${callId} was not found`));
  if (current.media) return exchange.reply(gongError(400, mediaTexts.alreadyHandled(callId)));
  const holder = ledger.callIdWithContent(received.sha256);
  if (holder !== undefined) return exchange.reply(gongError(400, mediaTexts.sameContent()));

  const { bytes, sha256, fileName, contentType: fileType } = received;
  ledger.attachMedia(callId, { bytes, sha256, fileName, contentType: fileType, via: 'upload' });
  events.emit('media-stored', current);
  exchange.reply({ status: 201, body: { requestId: newRequestId(), callId, url: callUrl(callId) } });
}

