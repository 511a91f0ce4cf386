import { defineChatWriteTool } from "../tool-support/chat-write.js";
import { departmentRef } from "../tool-support/params.js";

export const setChatDepartment = defineChatWriteTool({
  name: "set_chat_department",
  title: "Move chats to a department",
  description: `Move one chat or up to 50 to another department (team), e.g. a refund question from Sales to Billing.
Use list_departments for the names; assign_chat picks a person instead.
Returns what changed ("department: Sales → Billing") and the updated chat, or one result per chat for chat_ids.
Example: {"chat_id": 5215752, "department": "Billing"}.`,
  destructive: false,
  idempotent: true,
  shape: { department: departmentRef },
  async plan(args, ctx) {
    const department = await ctx.directory.resolveDepartment(args.department, ctx.upstream);
    return {
      field: "department",
      prepare: (id) => ctx.client.prepare.setDepartment(id, department.id),
      show: (chat) => chat.department?.name ?? (chat.department ? `department ${chat.department.id}` : "none"),
    };
  },
});
