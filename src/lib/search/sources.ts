/** Every kind of public document, for full reindexing. A domain adds its source here. */
import { organizationSource } from '~/lib/organizations/search';
import { policySource } from '~/lib/policies/search';
import { courseSource } from '~/lib/courses/search';
import { findingSource, projectSource } from '~/lib/research/search';
import { standardSource } from '~/lib/standards/search';
import { creditCertificateSource } from '~/lib/credit/search';
import type { DocumentSource } from './types';

export const documentSources: DocumentSource[] = [organizationSource, policySource, courseSource, projectSource, findingSource, standardSource, creditCertificateSource];
