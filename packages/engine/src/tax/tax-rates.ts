// Federal rates used to estimate the value of a harvested loss. The household's bracket is its marginal rate on
// short-term gains (ordinary income). Long-term gains are taxed at a lower rate implied by the bracket:
// 0 % up to the 12 % bracket, 20 % at the 37 % bracket, 15 % otherwise (state taxes and the 3.8 % NIIT are not
// included). A harvested short-term loss saves loss × bracket; a long-term loss saves loss × long-term rate.
// Rates are fractions (0.32 = 32 %).
export function longTermRateFor(bracket: number): number {
  if (bracket <= 0.12) return 0;
  if (bracket >= 0.37) return 0.2;
  return 0.15;
}

/** Estimated tax saved, in cents, by realizing the given short- and long-term losses (positive cents). */
export function estimatedTaxSavedCents(shortTermLossCents: number, longTermLossCents: number, bracket: number, longTermRate = longTermRateFor(bracket)): number {
  return Math.round(shortTermLossCents * bracket + longTermLossCents * longTermRate);
}
