export * from './names';
export * from './rules';
export * from './tags';
