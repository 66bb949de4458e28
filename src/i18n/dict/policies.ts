export default {
  'zh-cn': {
    'policy.list.title': '政策文件',
    'policy.list.intro': '本门户所依据的政策文件，以及我们编写的解读摘要。',
    'policy.source': '来源',
    'policy.sourceLink': '查看原文',
    'policy.lang.en': '英文',
    'policy.lang.zh-cn': '中文',
    'policy.kind.summary': '摘要',
    'policy.summaryNotice': '本页是本门户编写的摘要，不是官方文本。引用或办理业务时请以原文为准：',
    'policy.summaryOf': '摘要对象',
  } as Record<string, string>,
  en: {
    'policy.list.title': 'Policy library',
    'policy.list.intro': 'The policies this portal serves, and summaries we have written of them.',
    'policy.source': 'Source',
    'policy.sourceLink': 'Original',
    'policy.lang.en': 'English',
    'policy.lang.zh-cn': 'Chinese',
    'policy.kind.summary': 'Summary',
    'policy.summaryNotice': 'This page is a summary written by the portal team, not the official text. Rely on the original:',
    'policy.summaryOf': 'Summary of',
  } as Record<string, string>,
};
