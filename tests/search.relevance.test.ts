/**
 * Relevance: for each query, the documents a person would expect must be among the first five.
 * Runs against the embedded index with the seeded synonyms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSearch } from '../db/seed/search';
import { searchIndex } from '../src/lib/search';
import { testDb } from './helpers/db';
import { loadFixtures } from './search.fixtures';

let db: ReturnType<typeof testDb>;
beforeAll(() => {
  db = testDb();
  seedSearch(db);
  loadFixtures(db);
});
afterAll(() => db?.cleanup());

const CASES: [query: string, mustFind: string[]][] = [
  // Chinese
  ['跨境电商', ['cbec-intro', 'views']],
  ['跨境电子商务', ['cbec-intro', 'views']],
  ['物流', ['logistics-101', 'pudong-logistics', 'returns-logistics']],
  ['海外仓', ['overseas-warehouse']],
  ['直播带货', ['livestream']],
  ['直播电商', ['livestream-std', 'livestream']],
  ['人才落户', ['talent-settlement']],
  ['人才需求', ['talent-survey']],
  ['供应链金融', ['supply-chain-finance']],
  ['保税区', ['bonded-zone-study']],
  ['信用评价', ['seller-credit']],
  ['出口退税', ['export-tax']],
  ['独立站', ['dtc-website']],
  ['创业', ['entrepreneur']],
  ['综合试验区', ['pilot-zone']],
  ['海关合规', ['customs-compliance']],
  ['黄浦商学院', ['hpuc']],
  ['团体标准', ['scbea']],
  ['运营人才', ['talent-gap']],
  ['退货', ['returns-cost']],
  // English
  ['cross-border e-commerce', ['cbec-intro']],
  ['logistics', ['logistics-101', 'returns-logistics', 'pudong-logistics']],
  ['courses', ['hpuc']],
  ['course', ['hpuc']],
  ['overseas warehouses', ['overseas-warehouse', 'logistics-101']],
  ['customs clearance', ['logistics-101']],
  ['entrepreneurs', ['entrepreneur', 'bridge-ngo']],
  ['payment fraud', ['payment-risk']],
  ['data transfer', ['data-rules']],
  ['product photography', ['photography']],
  ['parcel labels', ['parcel-labels']],
  ['credit rating', ['seller-credit']],
  ['Huangpu', ['hpuc']],
  ['business english', ['english-sellers']],
  ['returns', ['returns-cost', 'returns-logistics']],
  ['independent website', ['dtc-website']],
  // diacritics and case
  ['cafe europeen', ['cafe-ecommerce']],
  ['CAFÉ', ['cafe-ecommerce']],
  // prefix (search as you type)
  ['logist', ['logistics-101']],
  ['photog', ['photography']],
  ['entrepreneurship boot', ['entrepreneur']],
  ['跨境支', ['payment-risk']],
  // typos
  ['logisitcs', ['logistics-101']],
  ['ecommerse enterprises', ['seller-credit']],
  ['photograhpy', ['photography']],
  ['warehuose', ['overseas-warehouse', 'logistics-101']],
  ['entreprenuership', ['entrepreneur']],
  // synonyms across languages
  ['cross border ecommerce', ['cbec-intro']],
  ['CBEC', ['cbec-intro']],
  ['supply chain', ['supply-chain-finance']],
  ['bonded zone', ['bonded-zone-study']],
  ['talent', ['talent-survey', 'talent-gap']],
  ['livestream commerce', ['livestream-std']],
];

describe('relevance: documents that must be in the top 5', () => {
  it('has at least 40 queries in both languages', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(CASES.filter(([q]) => /\p{Script=Han}/u.test(q)).length).toBeGreaterThanOrEqual(15);
    expect(CASES.filter(([q]) => !/\p{Script=Han}/u.test(q)).length).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES)('%s', async (q, mustFind) => {
    const result = await searchIndex.search(db, { q, perPage: 5 });
    const top = result.hits.map((h) => h.id);
    for (const id of mustFind) expect(top, `${q} → ${top.join(', ')}`).toContain(id);
  });
});
