export * from './accounts';
export * from './organizations';
export * from './activity';
export * from './standards';
