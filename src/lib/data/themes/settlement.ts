/** Open data (issue 18): the settlement theme's datasets. */
import type { Dataset } from '../types';

export const settlementDatasets: Dataset[] = [];
