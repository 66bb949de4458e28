import common from './common';
import forms from './forms';
import accounts from './accounts';
import organizations from './organizations';
import courses from './courses';
import admin from './admin';
import audit from './audit';
import notifications from './notifications';
import notices from './notices';
import policies from './policies';
import research from './research';
import search from './search';
import settlement from './settlement';
import standards from './standards';
import creditSchemes from './credit-schemes';
import creditAssessments from './credit-assessments';
import creditNotice from './credit-notice';
import creditCertificates from './credit-certificates';
import creditPublic from './credit-public';
import creditComplaints from './credit-complaints';
import data from './data';

type Dict = Record<string, string>;
export type DomainDictionary = { 'zh-cn': Dict; en: Dict };

/** Every domain's dictionary; a later domain adds one import and one entry here. */
const all: DomainDictionary[] = [common, forms, accounts, organizations, courses, admin, audit, notifications, notices, policies, research, search, settlement, standards, creditSchemes, creditAssessments, creditNotice, creditCertificates, creditPublic, creditComplaints, data];

export const dictionaries = {
  'zh-cn': Object.assign({}, ...all.map((d) => d['zh-cn'])) as Dict,
  en: Object.assign({}, ...all.map((d) => d.en)) as Dict,
};

export const domainDictionaries = all;
