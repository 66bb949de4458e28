export default {
  'zh-cn': {
    'notifications.title': '通知',
    'notifications.unread': '{count} 条未读',
    'notifications.headerUnread': '{count} 条未读',
    'notifications.markAllRead': '全部标为已读',
    'notifications.markRead': '标为已读',
    'notifications.new': '未读',
    'notifications.empty': '暂无通知。与您有关的变化（例如报名候补转正、意见处理、补件要求、审批结果）会显示在这里。',
    'notifications.pages': '通知分页',
  } as Record<string, string>,
  en: {
    'notifications.title': 'Notifications',
    'notifications.unread': '{count} unread',
    'notifications.headerUnread': '{count} unread',
    'notifications.markAllRead': 'Mark all as read',
    'notifications.markRead': 'Mark as read',
    'notifications.new': 'New',
    'notifications.empty': 'No notifications yet. Changes that concern you (a waitlist promotion, a comment disposition, a request for information, a decision) appear here.',
    'notifications.pages': 'Notification pages',
  } as Record<string, string>,
};
