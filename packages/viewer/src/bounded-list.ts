/**
 * A list that keeps at most `limit` items, dropping the oldest and counting them. Items are
 * dropped in chunks of a tenth of the limit so that one push costs O(1) on average rather than
 * an array shift per item.
 */
export class BoundedList<T> {
  private items: T[] = [];
  dropped = 0;

  constructor(private readonly limit: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.limit) {
      const excess = this.items.length - this.limit;
      const chunk = Math.max(excess, Math.ceil(this.limit / 10));
      this.items = this.items.slice(chunk);
      this.dropped += chunk;
    }
  }

  get size(): number {
    return this.items.length;
  }

  /** Oldest first. */
  all(): readonly T[] {
    return this.items;
  }
}
