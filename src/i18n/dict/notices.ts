/**
 * Notices and the mail sent with them, by kind: `notice.<kind>` is the title (and the mail's
 * subject), `notice.<kind>.body` the body when there is one. See src/lib/notifications/notify.ts.
 */
export default {
  'zh-cn': {
    'notice.mail.link': '查看详情：{url}',

    'notice.course.promoted': '您已获得名额：{course}',
    'notice.course.promoted.body': '有名额空出，您是候补名单上的下一位，现已报名成功。',
    'notice.course.session_changed': '班次有变更：{course}',
    'notice.course.session_changed.body': '{changes}',
    'notice.course.change.time': '时间：{before} → {after}',
    'notice.course.change.location': '地点：{before} → {after}',
    'notice.course.change.onlineUrl': '在线链接：{before} → {after}',
    'notice.course.session_cancelled': '班次已取消：{course}',
    'notice.course.removed': '您已被移出“{course}”的班次',
    'notice.course.removed.body': '开课机构已将您移出 {when} 的班次{waitlisted}。',
    'notice.course.wasWaitlisted': '（您当时在候补名单上）',
    'notice.course.completed': '证书已颁发：{course}',
    'notice.course.not_completed': '已标记为未结业：{course}',

    'notice.organization.verified': '{organization} 已通过认证',
    'notice.organization.rejected': '{organization} 未通过认证',
    'notice.organization.member_changed': '您现在是 {organization} 的{role}',
    'notice.organization.change_approved': '机构名称或类型的变更已获批准：{name}',
    'notice.organization.change_rejected': '机构名称或类型的变更未获批准：{name}',

    'notice.research.person_added': '您已被加入研究项目“{project}”',
    'notice.research.partner_added': '您的机构已被列为研究项目“{project}”的合作机构',
    'notice.research.version_published': '“{finding}”第 {number} 版已发布',
    'notice.research.finding_unpublished': '管理员已下线“{finding}”',

    'notice.standard.ballot': '审查投票已开始：{standard}',
    'notice.standard.comment.received': '“{standard}”第 {clause} 条收到新的{type}意见',
    'notice.standard.comment.disposed': '您对“{standard}”第 {clause} 条的意见：{decision}',

    'notice.settlement.submitted': '已收到申请 {ref}',
    'notice.settlement.accepted': '申请 {ref} 已受理',
    'notice.settlement.incomplete': '申请 {ref} 材料不全，请于 {due} 前补正',
    'notice.settlement.in_review': '申请 {ref} 正在审核',
    'notice.settlement.information_requested': '申请 {ref} 需要补充信息，请于 {due} 前提交',
    'notice.settlement.approved': '申请 {ref} 审批结果：批准',
    'notice.settlement.refused': '申请 {ref} 审批结果：不予批准',
    'notice.settlement.lapsed': '申请 {ref} 已逾期失效',
    'notice.settlement.withdrawn': '申请 {ref} 已撤回',
    'notice.settlement.assigned': '案件 {ref} 已分配给您',
    'notice.settlement.replied': '申请人已就案件 {ref} 作出答复',
  } as Record<string, string>,
  en: {
    'notice.mail.link': 'Details: {url}',

    'notice.course.promoted': 'You have a seat: {course}',
    'notice.course.promoted.body': 'A seat came free and you were next on the waitlist, so you are now enrolled.',
    'notice.course.session_changed': 'Session changed: {course}',
    'notice.course.session_changed.body': '{changes}',
    'notice.course.change.time': 'Time: {before} → {after}',
    'notice.course.change.location': 'Location: {before} → {after}',
    'notice.course.change.onlineUrl': 'Online link: {before} → {after}',
    'notice.course.session_cancelled': 'Session cancelled: {course}',
    'notice.course.removed': 'You were removed from a session of {course}',
    'notice.course.removed.body': 'The provider removed you from the session of {when}{waitlisted}.',
    'notice.course.wasWaitlisted': ' (you were on the waitlist)',
    'notice.course.completed': 'Certificate issued: {course}',
    'notice.course.not_completed': 'Marked not completed: {course}',

    'notice.organization.verified': '{organization} is verified',
    'notice.organization.rejected': '{organization} was not verified',
    'notice.organization.member_changed': 'You are now {role} of {organization}',
    'notice.organization.change_approved': 'The change of name or type is approved: {name}',
    'notice.organization.change_rejected': 'The change of name or type was not approved: {name}',

    'notice.research.person_added': 'You were added to the research project “{project}”',
    'notice.research.partner_added': 'Your organization was listed on the research project “{project}”',
    'notice.research.version_published': 'Version {number} of “{finding}” is published',
    'notice.research.finding_unpublished': 'An admin unpublished “{finding}”',

    'notice.standard.ballot': 'Review ballot open: {standard}',
    'notice.standard.comment.received': 'New {type} comment on clause {clause} of “{standard}”',
    'notice.standard.comment.disposed': 'Your comment on clause {clause} of “{standard}”: {decision}',

    'notice.settlement.submitted': 'Application {ref} received',
    'notice.settlement.accepted': 'Application {ref} accepted for review',
    'notice.settlement.incomplete': 'Application {ref}: documents or information missing (due {due})',
    'notice.settlement.in_review': 'Application {ref} is under review',
    'notice.settlement.information_requested': 'Application {ref}: information requested (due {due})',
    'notice.settlement.approved': 'Decision on application {ref}: approved',
    'notice.settlement.refused': 'Decision on application {ref}: refused',
    'notice.settlement.lapsed': 'Application {ref} lapsed: the due date passed',
    'notice.settlement.withdrawn': 'Application {ref} withdrawn',
    'notice.settlement.assigned': 'Case {ref} assigned to you',
    'notice.settlement.replied': 'The applicant replied on case {ref}',
  } as Record<string, string>,
};
