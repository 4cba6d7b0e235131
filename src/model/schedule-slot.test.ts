import { describe, expect, it } from 'vitest';
import { MINUTES_PER_DAY, slotKey, slotStart } from './schedule-slot.js';

describe('slotStart', () => {
  it('aligns daily slots to the offset', () => {
    expect(slotStart(new Date('2026-01-02T07:00:00Z'), MINUTES_PER_DAY, 360).toISOString()).toBe(
      '2026-01-02T06:00:00.000Z',
    );
    expect(slotStart(new Date('2026-01-02T05:59:59Z'), MINUTES_PER_DAY, 360).toISOString()).toBe(
      '2026-01-01T06:00:00.000Z',
    );
    expect(slotStart(new Date('2026-01-02T06:00:00Z'), MINUTES_PER_DAY, 360).toISOString()).toBe(
      '2026-01-02T06:00:00.000Z',
    );
  });
  it('aligns short intervals to the clock', () => {
    expect(slotStart(new Date('2026-01-02T07:44:59.999Z'), 15).toISOString()).toBe('2026-01-02T07:30:00.000Z');
    expect(slotKey('digest', slotStart(new Date('2026-01-02T07:45:00Z'), 15))).toBe('digest@2026-01-02T07:45:00.000Z');
  });
  it('rejects impossible slots with a clear error', () => {
    expect(() => slotStart(new Date(), 0)).toThrow(/interval must be a positive/);
    expect(() => slotStart(new Date(), 60, 60)).toThrow(/offset must be/);
  });
});
