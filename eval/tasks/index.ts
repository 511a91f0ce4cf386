/** Every task of the evaluation, in report order. */
import type { Task } from "../types.js";
import { ADVERSARIAL_TASKS } from "./adversarial.js";
import { CONVERSATION_TASKS } from "./conversation.js";
import { LIVE_TASKS, QUESTION_TASKS } from "./questions.js";
import { QUEUE_TASKS } from "./queue.js";

export const TASKS: Task[] = [...QUEUE_TASKS, ...CONVERSATION_TASKS, ...QUESTION_TASKS, ...LIVE_TASKS, ...ADVERSARIAL_TASKS];

const ids = new Set<string>();
for (const task of TASKS) {
  if (ids.has(task.id)) throw new Error(`two tasks are called ${task.id}`);
  ids.add(task.id);
}
