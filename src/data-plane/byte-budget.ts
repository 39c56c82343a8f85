/**
 * A budget of bytes shared by whoever draws on it in this process: a load or write of `n` bytes
 * waits until `n` bytes are free, so that many concurrent readers of big texts hold at most the
 * budget between them instead of one copy each. A request bigger than the whole budget waits
 * until nothing else holds any, then goes alone: it is never refused.
 */
export class ByteBudget {
  readonly bytes: number;
  private held = 0;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];

  constructor(bytes: number) {
    this.bytes = bytes;
  }

  /** Resolves once `bytes` (at most the whole budget) are yours; call the returned function to give them back. */
  async take(bytes: number): Promise<() => void> {
    const want = Math.max(0, Math.min(bytes, this.bytes));
    // First come, first served: a big request is not starved by a stream of small ones.
    if (this.waiting.length > 0 || this.held + want > this.bytes) {
      await new Promise<void>((grant) => this.waiting.push({ bytes: want, grant }));
    } else {
      this.held += want;
    }
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.held -= want;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.held + this.waiting[0]!.bytes <= this.bytes) {
      const next = this.waiting.shift()!;
      this.held += next.bytes;
      next.grant();
    }
  }
}
