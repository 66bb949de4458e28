/** Search synonyms of the sector, in both languages. Idempotent: a group is added once. */
import type { Db } from '../client';
import { write } from '../client';
import { ensureSynonymGroup } from '../../src/lib/search/synonyms';

export const SEED_SYNONYMS: string[][] = [
  ['跨境电商', '跨境电子商务', 'cross-border e-commerce', 'cross border ecommerce', 'cross-border ecommerce', 'CBEC'],
  ['电子商务', '电商', 'e-commerce', 'ecommerce'],
  ['物流', 'logistics'],
  ['供应链', 'supply chain'],
  ['海外仓', 'overseas warehouse'],
  ['保税区', '综合保税区', 'bonded zone', 'comprehensive bonded zone'],
  ['自贸区', '自由贸易试验区', 'free trade zone', 'pilot free trade zone'],
  ['海关', 'customs'],
  ['清关', '通关', 'customs clearance'],
  ['跨境支付', 'cross-border payment'],
  ['直播电商', '直播带货', 'live-streaming e-commerce', 'livestream commerce'],
  ['独立站', 'independent website', 'DTC website'],
  ['市场采购贸易', 'market procurement trade'],
  ['团体标准', 'group standard'],
  ['人才', 'talent'],
  ['创业', 'entrepreneurship', 'start-up'],
  ['综合试验区', '跨境电子商务综合试验区', 'comprehensive pilot zone'],
];

export function seedSearch(db: Db) {
  write(db, (tx) => {
    for (const terms of SEED_SYNONYMS) ensureSynonymGroup(tx, terms);
  });
}
