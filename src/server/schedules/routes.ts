/** The schedule routes (AgentOS's), in the order the OpenAPI document lists them. */
import { createSchedule } from './create-schedule.ts';
import { deleteSchedule } from './delete-schedule.ts';
import { disableSchedule, enableSchedule } from './enable-schedule.ts';
import { getSchedule } from './get-schedule.ts';
import { getScheduleRun } from './get-schedule-run.ts';
import { listScheduleRuns } from './list-schedule-runs.ts';
import { listSchedules } from './list-schedules.ts';
import { triggerSchedule } from './trigger-schedule.ts';
import { updateSchedule } from './update-schedule.ts';

export const SCHEDULE_ROUTES = [listSchedules, createSchedule, getSchedule, updateSchedule, deleteSchedule, enableSchedule, disableSchedule, triggerSchedule, listScheduleRuns, getScheduleRun];
