import { defineChatWriteTool } from "./kit/chat-write.js";
import { departmentRef } from "./kit/params.js";

export const setChatDepartment = defineChatWriteTool({
  name: "set_chat_department",
  title: "Move chats to a department",
  description: `Move chats to another department (team), e.g. a refund question from Sales to Billing; assign_chat picks a person instead.
Example: {"chat_id": 5215752, "department": "Billing"}.`,
  destructive: false,
  idempotent: true,
  shape: { department: departmentRef },
  async plan(args, ctx) {
    const department = await ctx.directory.resolveDepartment(args.department, ctx.upstream);
    return {
      field: "department",
      intent: `Move to ${department.name ?? `department ${department.id}`}`,
      prepare: (id) => ctx.client.prepare.setDepartment(id, department.id),
      show: (chat) => chat.department?.name ?? (chat.department ? `department ${chat.department.id}` : "none"),
    };
  },
});
