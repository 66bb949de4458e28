/** Every form action, grouped by domain: `actions.<domain>.<name>`. A domain adds one line. */
import { accounts } from './accounts';
import { admin } from './admin';
import { courses } from './courses';
import { creditAssessments } from './credit-assessments';
import { creditNotice } from './credit-notice';
import { creditCertificates } from './credit-certificates';
import { creditComplaints } from './credit-complaints';
import { creditSchemes } from './credit-schemes';
import { notifications } from './notifications';
import { organizations } from './organizations';
import { research } from './research';
import { search } from './search';
import { settlement } from './settlement';
import { standards } from './standards';

export const server = {
  accounts,
  admin,
  courses,
  creditAssessments,
  creditNotice,
  creditCertificates,
  creditComplaints,
  creditSchemes,
  notifications,
  organizations,
  research,
  search,
  settlement,
  standards,
};
