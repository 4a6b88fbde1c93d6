/*
 * report.h - a process run's report in every format.
 *
 * This module owns how the report of `actions run` (the JSON object the
 * workflow engine builds: {"workflows": [...], "summary": {...}}) is written:
 * text (a header line per workflow, a PASS/FAIL/SKIP line per step with its
 * errors under it, the outputs, a summary line), JSON, JUnit (a testsuite per
 * workflow, a testcase per step that ran), TAP and HTML (through
 * runner/report.h, each step named WORKFLOW/STEP); and how the reports of
 * several processes become one.
 */
#ifndef ACT_PROCESS_REPORT_H
#define ACT_PROCESS_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "common/act_redact.h"
#include "runner/report.h"

/*
 * One process's report into *all (created by the first): its workflows, each with
 * "file": the process as the project writes it, appended; the summaries added up.
 * Takes frep. Nonzero when out of memory.
 */
int act_process_report_merge(cJSON **all, cJSON *frep, const char *file);

/* The report rep in format fmt to f, every secret red knows masked. path: the
 * document's path (the HTML page's title), or NULL. */
void act_process_report_write(FILE *f, enum act_report_fmt fmt, const cJSON *rep, const char *path,
                              const struct act_redactor *red);

#endif
