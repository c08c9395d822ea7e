import type { FailureRecorder } from '../../../shared/ports/failure-recorder.ts';

type Failure = Parameters<FailureRecorder['recordFailure']>[0];

export class InMemoryFailureRecorder implements FailureRecorder {
  readonly failures: Failure[] = [];

  async recordFailure(failure: Failure) {
    this.failures.push({ ...failure });
  }
}
