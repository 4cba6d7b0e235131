/** Spelled-out numbers as abstracts write them ("Thirteen surgeons", "two-fold", "five-percentage-point"). */
export const WORD_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
};

/** An alternation of the spelled-out numbers, longest first (so "thirteen" wins over "three"). */
export function wordNumberPattern(): string {
  return Object.keys(WORD_NUMBERS)
    .sort((a, b) => b.length - a.length)
    .join('|');
}
