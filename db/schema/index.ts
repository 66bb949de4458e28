export * from './accounts';
export * from './organizations';
export * from './activity';
export * from './courses';
export * from './standards';
export * from './research';
export * from './settlement';
export * from './credit';
