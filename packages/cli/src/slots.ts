/**
 * At most `limit` tasks at once, with two kinds of waiting: the reading loop waits for a
 * slot before it starts the next row ({@link Slots.start}), and work a running task
 * hands on (a listing's card deletes) is queued ahead of it ({@link Slots.queue}), so a
 * slot a listing frees goes to its cards before the next listing, and listings can never
 * hold every slot while their cards wait.
 */
export class Slots {
  #free: number;
  /** Queued work, started before any new row. */
  readonly #queued: (() => void)[] = [];
  /** The reading loop, waiting for a slot. */
  readonly #waiting: (() => void)[] = [];
  readonly #running = new Set<Promise<void>>();

  constructor(limit: number) {
    this.#free = limit;
  }

  /** Starts `task` once a slot is free and no queued work waits; resolves when it has started, not when it ends. */
  async start(task: () => Promise<void>): Promise<void> {
    if (this.#free > 0 && this.#queued.length === 0) this.#free -= 1;
    // Else a task that ends hands its slot over (it is never counted free in between).
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#run(task);
  }

  /** Runs `task` as soon as a slot is free, ahead of new rows; resolves when it has ended. */
  queue(task: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const go = () => this.#run(() => task().finally(resolve));
      if (this.#free === 0) {
        this.#queued.push(go);
        return;
      }
      this.#free -= 1;
      go();
    });
  }

  #run(task: () => Promise<void>): void {
    const running = task().finally(() => {
      this.#running.delete(running);
      this.#handOver();
    });
    this.#running.add(running);
  }

  /** A slot that frees goes to queued work first, then to the reading loop. */
  #handOver(): void {
    const next = this.#queued.shift() ?? this.#waiting.shift();
    if (next === undefined) this.#free += 1;
    else next();
  }

  /** Resolves once nothing runs and nothing is queued. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
