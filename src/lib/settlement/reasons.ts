/**
 * Reason codes for recommendations and decisions, each with the rule it rests on, so that the
 * decision letter can say why in both languages.
 */
export interface ReasonCode {
  code: string;
  outcome: 'approve' | 'refuse';
  label: string;
  labelZh: string;
  rule: string;
  ruleZh: string;
}

export const REASON_CODES: ReasonCode[] = [
  { code: 'criteria_met', outcome: 'approve', label: 'The route’s eligibility criteria are met', labelZh: '符合该途径的申请条件', rule: 'Route eligibility criteria as published on this portal for the route', ruleZh: '本平台公布的该途径申请条件' },
  { code: 'points_standard_met', outcome: 'approve', label: 'Verified points reach the 120-point standard', labelZh: '核定积分达到 120 分标准值', rule: 'Residence-permit points scheme: 120-point standard', ruleZh: '居住证积分制度：120 分标准值' },
  { code: 'documents_verified', outcome: 'approve', label: 'All required documents were verified', labelZh: '所有必需材料均已核实', rule: 'Route document checklist', ruleZh: '该途径的材料清单' },
  { code: 'criteria_not_met', outcome: 'refuse', label: 'The route’s eligibility criteria are not met', labelZh: '不符合该途径的申请条件', rule: 'Route eligibility criteria as published on this portal for the route', ruleZh: '本平台公布的该途径申请条件' },
  { code: 'points_below_standard', outcome: 'refuse', label: 'Verified points are below the 120-point standard', labelZh: '核定积分未达到 120 分标准值', rule: 'Residence-permit points scheme: 120-point standard', ruleZh: '居住证积分制度：120 分标准值' },
  { code: 'documents_not_verified', outcome: 'refuse', label: 'A required document could not be verified', labelZh: '必需材料无法核实', rule: 'Route document checklist', ruleZh: '该途径的材料清单' },
  { code: 'information_inconsistent', outcome: 'refuse', label: 'The information given is inconsistent with the documents', labelZh: '申报信息与材料不一致', rule: 'Declaration signed with the application', ruleZh: '申请时签署的声明' },
];

export const reasonByCode = new Map(REASON_CODES.map((r) => [r.code, r]));
