/** Public interface of the app core, called by the React Native user interface. */
export * from './units';
export * from './validation';
export * from './alarms';
export * from './confirmation';
export * from './pumpCommand';
export * from './pumpStatus';
