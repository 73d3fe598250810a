/**
 * An exact table of `(customer_id, card_reference)` pairs that stays small for millions
 * of rows, giving each pair a small id (0, 1, 2, ... in the order added): the pairs'
 * bytes go into one growing buffer and an open-addressing table of offsets points into
 * it, so the garbage collector sees a few large arrays instead of a million strings (a
 * `Set` of strings cost about 170 MB of RSS at a million rows). The hash only finds a
 * slot; lookups compare the bytes, so two pairs are never taken for one.
 */

const EMPTY = -1;

/** FNV-1a over the bytes: cheap and well spread for short keys. */
function hashOf(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

/** The pair as bytes, the customer id's length first: no two pairs share a key. */
function keyOf(customerId: string, cardReference: string): Buffer {
  return Buffer.from(`${customerId.length}\u0000${customerId}${cardReference}`, 'utf8');
}

export class PairTable {
  /** Every key's bytes, one after another. */
  #arena = Buffer.alloc(1 << 16);
  #used = 0;
  /** Per slot: the key's offset in the arena, or EMPTY. */
  #offsets = new Int32Array(1 << 12).fill(EMPTY);
  #lengths = new Int32Array(1 << 12);
  #hashes = new Uint32Array(1 << 12);
  #ids = new Int32Array(1 << 12);
  #size = 0;

  /** How many pairs it holds. */
  get size(): number {
    return this.#size;
  }

  /** The pair's id, or -1 when it is not in the table. */
  idOf(customerId: string, cardReference: string): number {
    const key = keyOf(customerId, cardReference);
    const slot = this.#slotOf(key, hashOf(key));
    return this.#offsets[slot] === EMPTY ? -1 : (this.#ids[slot] as number);
  }

  /** Adds the pair if it is new; returns its id either way. */
  idFor(customerId: string, cardReference: string): number {
    const key = keyOf(customerId, cardReference);
    const hash = hashOf(key);
    const slot = this.#slotOf(key, hash);
    if (this.#offsets[slot] !== EMPTY) return this.#ids[slot] as number;
    this.#offsets[slot] = this.#store(key);
    this.#lengths[slot] = key.length;
    this.#hashes[slot] = hash;
    this.#ids[slot] = this.#size;
    this.#size += 1;
    if (this.#size * 2 > this.#offsets.length) this.#growTable();
    return this.#size - 1;
  }

  /** Adds the pair; returns `false` when it was already there. */
  add(customerId: string, cardReference: string): boolean {
    const before = this.#size;
    this.idFor(customerId, cardReference);
    return this.#size > before;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  #slotOf(key: Buffer, hash: number): number {
    const mask = this.#offsets.length - 1;
    let slot = hash & mask;
    while (this.#offsets[slot] !== EMPTY) {
      if (this.#hashes[slot] === hash && this.#equals(slot, key)) return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  #equals(slot: number, key: Buffer): boolean {
    const offset = this.#offsets[slot] as number;
    const length = this.#lengths[slot] as number;
    return length === key.length && this.#arena.compare(key, 0, length, offset, offset + length) === 0;
  }

  #store(key: Buffer): number {
    if (this.#used + key.length > this.#arena.length) {
      const bigger = Buffer.alloc(Math.max(this.#arena.length * 2, this.#used + key.length));
      this.#arena.copy(bigger, 0, 0, this.#used);
      this.#arena = bigger;
    }
    key.copy(this.#arena, this.#used);
    this.#used += key.length;
    return this.#used - key.length;
  }

  /** Doubles the table and re-places every key by its stored hash. */
  #growTable(): void {
    const offsets = this.#offsets;
    const lengths = this.#lengths;
    const hashes = this.#hashes;
    const ids = this.#ids;
    const capacity = offsets.length * 2;
    this.#offsets = new Int32Array(capacity).fill(EMPTY);
    this.#lengths = new Int32Array(capacity);
    this.#hashes = new Uint32Array(capacity);
    this.#ids = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let old = 0; old < offsets.length; old++) {
      if (offsets[old] === EMPTY) continue;
      let slot = (hashes[old] as number) & mask;
      while (this.#offsets[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.#offsets[slot] = offsets[old] as number;
      this.#lengths[slot] = lengths[old] as number;
      this.#hashes[slot] = hashes[old] as number;
      this.#ids[slot] = ids[old] as number;
    }
  }
}
