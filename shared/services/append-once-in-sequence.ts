/**
 * One step of a per-tenant sequence (the audit chain, the events feed): the place an entry already
 * holds, or the next place after the head read and the conditional move to it.
 */
export interface SequenceSteps<Link> {
  /** The link the entry was given before (a redelivery), or undefined. */
  existing(): Promise<Link | undefined>;
  /** The link after the head as read now, and the move that takes it only if the head is unchanged. */
  next(): Promise<{ readonly link: Link; advance(): Promise<boolean> }>;
}

export interface SequencePlacement<Link> {
  readonly link: Link;
  /** False when the entry had its place already (nothing was written). */
  readonly isNew: boolean;
}

/**
 * Gives an entry exactly one place in its sequence however often it is delivered: a redelivered
 * entry finds its marker and gets the same link; otherwise the head is advanced conditionally with
 * the entry's marker in one write, and a collision (a second consumer on the same tenant, after a
 * shard split) reads again. Answers undefined when the head kept moving for `attempts` reads.
 */
export async function appendOnceInSequence<Link>(
  steps: SequenceSteps<Link>,
  attempts: number,
): Promise<SequencePlacement<Link> | undefined> {
  for (let attempt = 1; attempt <= Math.max(1, attempts); attempt += 1) {
    const existing = await steps.existing();
    if (existing !== undefined) return { link: existing, isNew: false };
    const { link, advance } = await steps.next();
    if (await advance()) return { link, isNew: true };
  }
  return undefined;
}
