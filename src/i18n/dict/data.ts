/** Open data (issue 18): the /data pages, dataset pages and their charts. Dataset titles and columns live with each dataset (src/lib/data/themes). */
export default {
  'zh-cn': {},
  en: {},
};
