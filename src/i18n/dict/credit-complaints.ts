/** Credit certification: complaints (issue 16). */
export default {
  'zh-cn': {} as Record<string, string>,
  en: {} as Record<string, string>,
};
