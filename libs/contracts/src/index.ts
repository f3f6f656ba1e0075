export * from './task-queues';
export * from './parties';
