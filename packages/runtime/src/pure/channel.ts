// A one-consumer queue between the running call and whoever iterates its stream.
export class Channel<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((e: unknown) => void) | undefined;
  private ended = false;
  private error: unknown;

  push(item: T): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = this.failWaiting = undefined;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  end(error?: unknown): void {
    this.ended = true;
    this.error = error;
    if (this.waiting) {
      const [w, f] = [this.waiting, this.failWaiting!];
      this.waiting = this.failWaiting = undefined;
      if (error !== undefined) f(error);
      else w({ value: undefined, done: true });
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.items.length) {
        yield this.items.shift()!;
        continue;
      }
      if (this.ended) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        this.waiting = resolve;
        this.failWaiting = reject;
      });
      if (next.done) return;
      yield next.value;
    }
  }
}
