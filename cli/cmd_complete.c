#include "cli.h"
int cmd_complete(int argc, char **argv, struct cli_ctx *c)
{
    (void)argc;
    (void)argv;
    (void)c;
    return 0;
}
