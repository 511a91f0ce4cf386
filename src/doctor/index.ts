export { type DoctorReport, type EndpointCheck, runDoctor } from "./checks.js";
export { formatReport } from "./report.js";
