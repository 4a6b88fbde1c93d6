/*
 * record.h - the record of an action run (the cJSON object runner/report.h describes)
 * built from struct act_run, every string masked by the run's redactor; with the HTML
 * page's request, response and schema errors when r->details is set. No printing.
 */
#ifndef ACT_RUNNER_RECORD_H
#define ACT_RUNNER_RECORD_H

#include <cjson/cJSON.h>

#include "common/act_buf.h"
#include "runner/report.h"
#include "runner/run.h"

/*
 * The record of r's last action, secrets masked, without the body: action, method,
 * url, status, reason, duration_ms, passed, outcome, errors, warnings, and skipped
 * (why) for an action that was not run; with r->details also request, response and
 * schemaErrors. NULL when out of memory (never an object with a field missing).
 */
cJSON *act_run_record(struct act_run *r);
/* Add "request", "response" and "schemaErrors" to rec; ACT_OK or ACT_ERR_NOMEM. */
enum act_status act_run_record_details(struct act_run *r, cJSON *rec);
/* The response body as a record's "body": parsed JSON (masked) or a string; NULL when
 * there is none (or out of memory). */
cJSON *act_run_body_value(struct act_run *r);
/* The record of op, not started because a fail-fast run stopped (NULL: out of memory);
 * resets r. */
cJSON *act_run_not_run_record(struct act_run *r, const struct act_op *op);
/* A failed record for op with the problem why (NULL: out of memory); resets r. */
cJSON *act_run_failed_record(struct act_run *r, const struct act_op *op, const char *why);
/* What the reports say about r's run: spec, title, destination; *url keeps the masked
 * destination URL m points to (act_buf_release it after the reports are written). */
void act_run_report_meta(const struct act_run *r, struct act_report_meta *m, struct act_buf *url);

#endif
