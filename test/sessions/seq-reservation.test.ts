import { describe, expect, it } from 'vitest';
import { SeqReservation } from '../../src/sessions/seq-reservation.js';

interface Frame {
  seq: number;
}

/** A reservation whose database writes the test answers one by one. */
function setUp(reservedThrough: number, options: { blockSize?: number; holdLimitMs?: number } = {}) {
  const delivered: number[] = [];
  const writes: Array<{ through: number; stored: () => void; failed: () => void }> = [];
  let timeouts = 0;
  const reservation = new SeqReservation<Frame>(reservedThrough, {
    blockSize: options.blockSize ?? 1000,
    holdLimitMs: options.holdLimitMs ?? 60_000,
    store: (through) =>
      new Promise((resolve, reject) => writes.push({ through, stored: resolve, failed: () => reject(new Error('writer closed')) })),
    deliver: (frame) => delivered.push(frame.seq),
    onHoldTimeout: () => (timeouts += 1),
  });
  const pass = (from: number, to: number) => {
    for (let seq = from; seq <= to; seq += 1) reservation.pass({ seq });
  };
  return { reservation, delivered, writes, pass, timeouts: () => timeouts };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('seq reservation', () => {
  it('sends frames at once while their seqs are reserved, and asks for the next block when half is used', () => {
    const { delivered, writes, pass } = setUp(1000);
    pass(1, 500);
    expect(writes).toStrictEqual([]);
    pass(501, 501);
    expect(writes.map((write) => write.through)).toStrictEqual([1501]);
    expect(delivered).toHaveLength(501);
  });

  it('holds frames past the stored reservation, in order, until it is stored', async () => {
    const { reservation, delivered, writes, pass } = setUp(40);
    pass(41, 43);
    expect(delivered).toStrictEqual([]);
    expect(reservation.heldCount).toBe(3);
    expect(writes.map((write) => write.through)).toStrictEqual([1041]);

    writes[0]!.stored();
    await reservation.whenDelivered();

    expect(delivered).toStrictEqual([41, 42, 43]);
    pass(44, 44);
    expect(delivered).toStrictEqual([41, 42, 43, 44]);
  });

  it('asks for the first block before the frame is numbered, while its message is being stored', async () => {
    const { reservation, delivered, writes } = setUp(0);
    reservation.prepare(1);
    writes[0]!.stored();
    await settle();
    reservation.pass({ seq: 1 });
    expect(delivered).toStrictEqual([1]);
    expect(writes).toHaveLength(1);
  });

  it('lets held frames go when the database does not answer within the hold limit, and says so', async () => {
    const { reservation, delivered, writes, pass, timeouts } = setUp(0, { holdLimitMs: 20 });
    pass(1, 2);
    await reservation.whenDelivered();
    expect(delivered).toStrictEqual([1, 2]);
    expect(timeouts()).toBe(1);
    // Unguarded until a reservation is stored again; then frames past it wait again.
    pass(3, 3);
    expect(delivered).toStrictEqual([1, 2, 3]);
    writes[0]!.stored();
    await settle();
    pass(4, 1001);
    pass(1002, 1002);
    expect(delivered.at(-1)).toBe(1001);
  });

  it('lets held frames go at once when the writer shuts down', async () => {
    const { reservation, delivered, writes, pass } = setUp(0);
    pass(1, 1);
    writes[0]!.failed();
    await reservation.whenDelivered();
    expect(delivered).toStrictEqual([1]);
  });
});
