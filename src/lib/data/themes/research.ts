/** Open data (issue 18): the research theme's datasets. */
import type { Dataset } from '../types';

export const researchDatasets: Dataset[] = [];
