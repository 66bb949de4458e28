/** Every published dataset, by theme (issue 18). A theme adds its datasets in its own file. */
import { organizationsDatasets } from './themes/organizations';
import { researchDatasets } from './themes/research';
import { settlementDatasets } from './themes/settlement';
import { standardsDatasets } from './themes/standards';
import { talentDatasets } from './themes/talent';
import type { Dataset, Theme } from './types';

export const datasets: Dataset[] = [...talentDatasets, ...researchDatasets, ...standardsDatasets, ...settlementDatasets, ...organizationsDatasets];

const byId = new Map(datasets.map((d) => [d.id, d]));

export const datasetById = (id: string): Dataset | undefined => byId.get(id);
export const datasetsOf = (theme: Theme): Dataset[] => datasets.filter((d) => d.theme === theme);
