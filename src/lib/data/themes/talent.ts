/** Open data (issue 18): the talent theme's datasets. */
import type { Dataset } from '../types';

export const talentDatasets: Dataset[] = [];
