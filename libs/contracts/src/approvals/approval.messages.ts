import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalTaskView, DecisionInput, DecisionResult } from './approval-task.contract';

/**
 * Decide a human step. Every workflow with approval tasks handles it with a validator, so the caller
 * gets a definite answer at once: accepted, or refused with an `APPROVAL_*` code (not yours, already
 * decided, expired, unknown task, comment required). Only names are defined here: importing them
 * outside a workflow is safe.
 */
export const decideUpdate = defineUpdate<DecisionResult, [DecisionInput]>('decide');

/** The workflow's open approval tasks. */
export const openTasksQuery = defineQuery<ApprovalTaskView[]>('openTasks');
