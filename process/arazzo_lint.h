/*
 * arazzo_lint.h - the lint rules of an Arazzo 1.0.1 document (`actions lint FILE`).
 *
 * This module owns the checks `actions lint` applies to an Arazzo document beyond
 * what loading finds (unknown and ambiguous operationIds and operationPaths,
 * unknown source descriptions, duplicate ids, unknown dependsOn targets, which
 * act_arazzo_load with ACT_ARAZZO_LENIENT records): malformed runtime expressions
 * and criteria; unknown step, workflow, source and component names inside
 * expressions; goto targets; parameters the operation does not have, and required
 * ones no parameter supplies (warning); dependsOn cycles; a goto loop with no
 * criteria that could end it (warning). Each problem is a diagnostic with the
 * node's file:line:column.
 */
#ifndef ACT_PROCESS_ARAZZO_LINT_H
#define ACT_PROCESS_ARAZZO_LINT_H

#include "process/arazzo.h"

/*
 * Run every lint rule over a (loaded with ACT_ARAZZO_LENIENT) and append the
 * problems to a->diags. ACT_OK, or ACT_ERR_NOMEM.
 */
enum act_status act_arazzo_lint(struct act_arazzo *a) ACT_WUR;

#endif
