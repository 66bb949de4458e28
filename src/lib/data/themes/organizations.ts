/** Open data (issue 18): the organizations theme's datasets. */
import type { Dataset } from '../types';

export const organizationsDatasets: Dataset[] = [];
