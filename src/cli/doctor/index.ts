export { type DoctorReport, type DoctorRun, type EndpointCheck, runDoctor } from "./checks.js";
export { formatCheck, reportHeader, reportTail } from "./report.js";
