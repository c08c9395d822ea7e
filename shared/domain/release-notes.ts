import { PlainTextSchema } from './plain-text.ts';

export const MAX_RELEASE_NOTES = 2000;

/** What changed in a version, in the publisher's words: plain text, signed with the artifact. */
export const ReleaseNotesSchema = PlainTextSchema(MAX_RELEASE_NOTES);
