import { genericSource } from '../sources/generic/generic-source.js';
import { s3EventsSource } from '../sources/s3-events/s3-events-source.js';
import type { SourceDefinition } from '../sources/source-definition.js';
import { twilioSource } from '../sources/twilio/twilio-source.js';

/** Every phone system the API takes webhooks from. A new source is a folder under src/sources/ and a line here. */
export const SOURCES: readonly SourceDefinition[] = [genericSource, twilioSource, s3EventsSource];
