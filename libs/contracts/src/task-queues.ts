/** Task queue names. The worker polls these; the API starts workflows on them. */
export const DEFAULT_TASK_QUEUE = 'wholesail';
