export { type DoctorReport, type DoctorRun, type EndpointCheck, runDoctor } from "./checks.js";
export { knowledgeLines } from "./knowledge.js";
export { formatCheck, reportHeader, reportTail } from "./report.js";
