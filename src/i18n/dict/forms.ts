/** Forms everywhere: the error summary, and the plain messages that replace zod's own (src/lib/forms/messages.ts). */
export default {
  'zh-cn': {
    'form.problem': '出现问题',
    'form.errorTitle': '错误：',
    'err:This field is required.': '此项为必填项。',
    'err:Check this field.': '请检查此项。',
    'err:Check the format of this field.': '请检查此项的格式。',
    'err:Choose one of the options.': '请从选项中选择一项。',
    'err:Enter a number.': '请输入数字。',
    'err:Enter a valid date.': '请输入有效的日期。',
    'err:Enter a full link starting with https://.': '请输入以 https:// 开头的完整链接。',
    'err:Something went wrong. Try again.': '出了点问题，请重试。',
  },
  en: {
    'form.problem': 'There is a problem',
    'form.errorTitle': 'Error: ',
  },
};
