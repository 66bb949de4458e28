/** Demo accounts, one per role. Their password is public (README): demo data only. */
export const DEMO_PASSWORD = 'demo-password-2026';

export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@demo.portal.test', displayName: '平台管理员 Platform Admin', roles: ['admin'] },
  officer: { email: 'officer@demo.portal.test', displayName: '王敏 Wang Min (officer)', roles: ['settlement_officer'] },
  approver: { email: 'approver@demo.portal.test', displayName: '陈静 Chen Jing (approver)', roles: ['settlement_approver'] },
  provider: { email: 'provider@demo.portal.test', displayName: '刘洋 Liu Yang (provider editor)', roles: [] },
  standards: { email: 'standards@demo.portal.test', displayName: '赵磊 Zhao Lei (industry body)', roles: [] },
  researcher: { email: 'researcher@demo.portal.test', displayName: '孙悦 Sun Yue (researcher)', roles: [] },
  student: { email: 'student@demo.portal.test', displayName: '周婷 Zhou Ting (student)', roles: [] },
  entrepreneur: { email: 'entrepreneur@demo.portal.test', displayName: 'Amir Rahman (entrepreneur)', roles: [] },
  assessor: { email: 'assessor@demo.portal.test', displayName: '吴芳 Wu Fang (credit assessor)', roles: [] },
  committee: { email: 'committee@demo.portal.test', displayName: '郑浩 Zheng Hao (credit committee)', roles: [] },
  seller: { email: 'seller@demo.portal.test', displayName: '黄蕾 Huang Lei (seller)', roles: [] },
} as const;

export type DemoRole = keyof typeof DEMO_ACCOUNTS;
