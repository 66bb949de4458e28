/**
 * The id of the input in the project form (src/components/research/ProjectFields.astro) that an
 * error key names: a repeated row's error (`funding.0.currency`) belongs to that row's input
 * (`f-currency-0`), so the error summary's link reaches it.
 */
const ROW_INPUTS: Record<string, Record<string, string>> = {
  people: { name: 'personName', role: 'personRole', orcid: 'personOrcid', email: 'personEmail' },
  partners: { organizationSlug: 'partnerSlug', role: 'partnerRole' },
  funding: { funder: 'funder', awardNumber: 'awardNumber', amountMinor: 'amount', currency: 'currency' },
  corridors: { origin: 'corridorOrigin', destination: 'corridorDestination' },
};

export function projectFieldId(key: string): string {
  const row = /^(\w+)\.(\d+)\.(\w+)$/.exec(key);
  const input = row && ROW_INPUTS[row[1]!]?.[row[3]!];
  return input ? `f-${input}-${row[2]}` : `f-${key.replace(/[^\w-]/g, '-')}`;
}
