/**
 * A bilingual fixture corpus for the search tests, written through `searchIndex.upsert` so the
 * tests depend on no other domain. Ids are short and meaningful so expectations read well.
 */
import { write, type Db } from '../db/client';
import { searchIndex, type SearchDocument } from '../src/lib/search';

type Doc = Omit<SearchDocument, 'url'> & { url?: string };

const d = (kind: SearchDocument['kind'], id: string, lang: SearchDocument['lang'], title: string, titleZh: string | null, summary: string, body: string, extra: Partial<SearchDocument> = {}): Doc => ({
  kind, id, lang, title, titleZh, summary, body, ...extra,
});

export const FIXTURES: Doc[] = [
  d('course', 'cbec-intro', 'zh-cn', 'Introduction to Cross-border E-commerce', '跨境电子商务导论', '面向本科生的跨境电子商务入门课程，涵盖平台、物流、支付与合规。', '本课程系统介绍跨境电子商务的业务模式、主要平台规则、国际物流、跨境支付和海关监管。', { organizationType: 'university', year: 2026, languages: ['zh-cn'], organizationName: 'Huangpu University of Commerce' }),
  d('course', 'logistics-101', 'en', 'International Logistics for Online Sellers', '面向网店卖家的国际物流', 'Shipping, customs clearance and overseas warehouses for small sellers.', 'Learn how parcels move across borders: freight forwarding, customs clearance, duties, overseas warehouses and returns management.', { organizationType: 'training_agency', year: 2026, languages: ['en'] }),
  d('course', 'livestream', 'zh-cn', 'Live-streaming Sales for Cross-border Brands', '跨境品牌直播带货实战', '直播电商选品、脚本与投流实操训练营。', '通过真实直播间演练，学习直播带货的选品、话术、流量投放和售后服务。', { organizationType: 'company', year: 2025, languages: ['zh-cn'] }),
  d('course', 'entrepreneur', 'mul', 'Entrepreneurship Bootcamp for Cross-border Start-ups', '跨境电商创业训练营', 'Business models, financing and compliance for founders. 面向创业者的商业模式与融资课程。', 'Eight weeks with mentors from industry: validating a product, raising a seed round, registering in Shanghai. 八周导师辅导，从产品验证到落户上海。', { organizationType: 'ngo', year: 2026, languages: ['zh-cn', 'en'] }),
  d('course', 'data-analytics', 'en', 'Data Analytics for Marketplace Operations', '电商平台运营数据分析', 'Use sales data to price, forecast and advertise on marketplaces.', 'Hands-on sessions with spreadsheets and SQL: conversion funnels, advertising cost of sale, inventory forecasting.', { organizationType: 'university', year: 2025, languages: ['en'] }),
  d('course', 'customs-compliance', 'zh-cn', 'Customs Compliance for Exporters', '出口企业海关合规实务', '报关、退税与原产地规则的实务课程。', '讲解一般贸易与跨境电商零售出口的申报方式、出口退税、原产地证书与海关稽查。', { organizationType: 'government', year: 2024, languages: ['zh-cn'] }),
  d('course', 'english-sellers', 'en', 'Business English for Cross-border Sellers', '跨境卖家商务英语', 'Write listings, answer buyers and negotiate with suppliers in English.', 'Product descriptions, customer emails, complaint handling and supplier negotiation practice.', { organizationType: 'training_agency', year: 2026, languages: ['en'] }),
  d('course', 'dtc-website', 'zh-cn', 'Building an Independent Website', '独立站搭建与运营', '从建站、支付接入到海外营销的独立站全流程。', '学习使用建站工具搭建品牌独立站，接入跨境支付，开展搜索引擎优化与社交媒体营销。', { organizationType: 'company', year: 2026, languages: ['zh-cn'] }),
  d('course', 'supply-chain-finance', 'zh-cn', 'Supply Chain Finance in Cross-border Trade', '跨境贸易供应链金融', '应收账款融资、仓单质押与跨境结算。', '介绍跨境电商供应链金融的主要产品、风险控制与监管要求。', { organizationType: 'university', year: 2025, languages: ['zh-cn'] }),
  d('course', 'photography', 'en', 'Product Photography and Visual Merchandising', '商品摄影与视觉营销', 'Take product photos that sell on any marketplace.', 'Lighting, white backgrounds, lifestyle shots and image compliance rules of the main platforms.', { organizationType: 'training_agency', year: 2024, languages: ['en'] }),
  d('project', 'bonded-zone-study', 'zh-cn', 'Bonded Zone Imports and Consumer Prices', '综合保税区进口与消费价格研究', '研究保税进口模式对消费品价格的影响。', '利用上海综合保税区的通关数据，估计保税备货模式对进口消费品零售价格的影响。', { organizationType: 'research_facility', year: 2025, languages: ['zh-cn'] }),
  d('project', 'returns-logistics', 'en', 'Reverse Logistics of Cross-border Returns', '跨境退货逆向物流', 'How returned parcels flow back and what they cost.', 'A survey of 400 sellers on returns: return rates by category, cost of reverse logistics, liquidation of returned goods.', { organizationType: 'university', year: 2026, languages: ['en'] }),
  d('project', 'talent-survey', 'zh-cn', 'Talent Demand Survey of Shanghai Cross-border E-commerce', '上海跨境电商人才需求调查', '调查企业对运营、物流和合规人才的需求。', '访谈 120 家企业，分析跨境电商岗位技能需求、薪酬水平与人才缺口。', { organizationType: 'research_facility', year: 2026, languages: ['zh-cn'] }),
  d('project', 'payment-risk', 'en', 'Fraud Risk in Cross-border Payments', '跨境支付欺诈风险', 'Detecting chargeback fraud with machine learning.', 'We train gradient-boosted models on anonymised payment records to detect fraudulent chargebacks in cross-border payments.', { organizationType: 'university', year: 2025, languages: ['en'] }),
  d('project', 'pilot-zone', 'zh-cn', 'Evaluation of the Comprehensive Pilot Zone', '跨境电子商务综合试验区成效评估', '评估上海综试区政策对企业出口的影响。', '采用双重差分方法，评估跨境电子商务综合试验区设立后企业出口额与就业的变化。', { organizationType: 'government', year: 2024, languages: ['zh-cn'] }),
  d('finding', 'returns-cost', 'en', 'Returns Cost Sellers 12% of Revenue', '退货成本占卖家收入的 12%', 'Findings from the reverse logistics survey.', 'Apparel sellers face the highest return rates; consolidating returns in overseas warehouses cuts the cost by a third.', { organizationType: 'university', year: 2026, languages: ['en'] }),
  d('finding', 'talent-gap', 'zh-cn', 'Operations Talent Is the Largest Gap', '运营人才缺口最大', '人才需求调查的主要结论。', '受访企业中 68% 表示最缺乏懂数据分析的运营人才，其次是熟悉海关合规的人才。', { organizationType: 'research_facility', year: 2026, languages: ['zh-cn'] }),
  d('finding', 'bonded-prices', 'zh-cn', 'Bonded Imports Lower Prices by 8%', '保税进口使价格降低 8%', '保税区研究的主要发现。', '保税备货模式使进口化妆品和母婴用品的零售价格平均下降约 8%。', { organizationType: 'research_facility', year: 2025, languages: ['zh-cn'] }),
  d('standard', 'overseas-warehouse', 'zh-cn', 'Service Specification for Overseas Warehouses', '跨境电商海外仓服务规范', '规定海外仓入库、仓储、配送与退货服务要求。', '本标准规定了跨境电子商务海外仓的术语、服务内容、作业流程、信息系统与服务质量评价。', { organizationType: 'industry_body', year: 2026, languages: ['zh-cn'] }),
  d('standard', 'seller-credit', 'zh-cn', 'Credit Rating of Cross-border E-commerce Enterprises', '跨境电子商务企业信用评价', '企业信用等级评价指标与方法。', '本标准规定了跨境电子商务企业信用评价的指标体系、评价方法、等级划分与结果应用。', { organizationType: 'industry_body', year: 2025, languages: ['zh-cn'] }),
  d('standard', 'livestream-std', 'zh-cn', 'Live-streaming E-commerce Service Requirements', '直播电商服务要求', '直播营销活动的服务规范。', '规定直播电商主播、商品信息展示、售后服务与数据安全要求。', { organizationType: 'industry_body', year: 2026, languages: ['zh-cn'] }),
  d('standard', 'parcel-labels', 'en', 'Labelling of Cross-border Parcels', '跨境包裹标签', 'Label content and barcode rules for parcels.', 'Specifies the data elements, barcode symbology and placement of labels on cross-border e-commerce parcels.', { organizationType: 'industry_body', year: 2024, languages: ['en'] }),
  d('organization', 'hpuc', 'mul', 'Huangpu University of Commerce', '黄浦商学院', '', '开设跨境电子商务本科专业与创业课程。 A university offering a course in cross-border e-commerce and entrepreneurship courses.', { organizationType: 'university', year: 2024, organizationName: 'Huangpu University of Commerce' }),
  d('organization', 'shenjiang', 'mul', 'Shenjiang Cross-border Training School', '申江跨境电商培训学校', '', '面向卖家和运营人员的职业培训机构。 Vocational training for sellers and operators.', { organizationType: 'training_agency', year: 2025 }),
  d('organization', 'scbea', 'mul', 'Shanghai Cross-border E-commerce Association', '上海跨境电子商务行业协会', '', '行业组织，负责团体标准起草与企业信用评价。 An industry body that drafts group standards and rates member credit.', { organizationType: 'industry_body', year: 2024 }),
  d('organization', 'pudong-logistics', 'mul', 'Pudong Logistics Research Institute', '浦东物流研究院', '', '研究国际物流、供应链与海外仓。 Research on international logistics, supply chains and overseas warehouses.', { organizationType: 'research_facility', year: 2025 }),
  d('organization', 'bridge-ngo', 'mul', 'Silk Bridge Foundation', '丝桥基金会', '', '资助青年创业者与乡村电商培训的公益组织。 A charity funding young entrepreneurs and rural e-commerce training.', { organizationType: 'ngo', year: 2026 }),
  d('organization', 'cafe-ecommerce', 'en', 'Café Européen Trading Company', null, '', 'Imports French coffee through bonded warehouses and sells it on marketplaces.', { organizationType: 'company', year: 2026 }),
  d('policy', 'views', 'zh-cn', 'Opinions on Promoting Cross-border E-commerce in Shanghai', '关于促进本市跨境电子商务发展的若干意见', '上海市促进跨境电子商务发展的政策文件。', '支持高校、企业和科研机构开展跨境电子商务研究，推动行业组织建立信用认证体系，制定行业标准，吸引创业人才落户。', { organizationType: 'government', year: 2024 }),
  d('policy', 'talent-settlement', 'zh-cn', 'Measures on Talent Settlement for Cross-border Entrepreneurs', '跨境电商创业人才落户办法', '符合条件的创业人才可申请落户。', '规定跨境电子商务创业人才申请落户上海的条件、积分规则、申请材料与审批流程。', { organizationType: 'government', year: 2025 }),
  d('policy', 'export-tax', 'zh-cn', 'Export Tax Rebate Rules for Retail E-commerce Exports', '跨境电商零售出口退税规定', '零售出口货物的增值税和消费税政策。', '对符合条件的跨境电子商务零售出口货物，试行增值税、消费税无票免税政策。', { organizationType: 'government', year: 2024 }),
  d('policy', 'data-rules', 'en', 'Guidance on Cross-border Data Transfers', '数据出境指引', 'What sellers must do before sending personal data abroad.', 'Explains security assessments, standard contracts and certification for transferring personal information out of the country.', { organizationType: 'government', year: 2026 }),
];

export function loadFixtures(db: Db, docs: Doc[] = FIXTURES) {
  write(db, (tx) => {
    for (const doc of docs) searchIndex.upsert(tx, { url: `/${doc.kind}s/${doc.id}`, ...doc });
  });
}
