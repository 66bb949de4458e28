/** Open data (issue 18): the standards theme's datasets. */
import type { Dataset } from '../types';

export const standardsDatasets: Dataset[] = [];
