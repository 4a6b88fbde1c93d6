/* bare_yaml.c - baseline for `make bench`: libyaml's document API loading a
 * YAML file, the least work a YAML front end must do.
 *
 *   bare_yaml SPEC.yaml           yaml_parser_load the first document, print
 *                                 its number of nodes, free
 *   bare_yaml -o SPEC.yaml        print the number of operations instead
 *                                 (method keys under `paths`), to check a
 *                                 YAML conversion against the JSON
 *
 * Exit status 0, or 1 with a message on stderr.
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

static int scalar_is(yaml_node_t *n, const char *s)
{
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
           memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

static int is_method(yaml_node_t *n)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (scalar_is(n, methods[i]))
            return 1;
    return 0;
}

static long count_ops(yaml_document_t *doc)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return 0;
    yaml_node_t *paths = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top; p++)
        if (scalar_is(yaml_document_get_node(doc, p->key), "paths"))
            paths = yaml_document_get_node(doc, p->value);
    if (!paths || paths->type != YAML_MAPPING_NODE)
        return 0;
    long n = 0;
    for (yaml_node_pair_t *p = paths->data.mapping.pairs.start;
         p < paths->data.mapping.pairs.top; p++) {
        yaml_node_t *item = yaml_document_get_node(doc, p->value);
        if (!item || item->type != YAML_MAPPING_NODE)
            continue;
        for (yaml_node_pair_t *q = item->data.mapping.pairs.start;
             q < item->data.mapping.pairs.top; q++) {
            yaml_node_t *op = yaml_document_get_node(doc, q->value);
            if (is_method(yaml_document_get_node(doc, q->key)) && op &&
                op->type == YAML_MAPPING_NODE)
                n++;
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    int ops = argc == 3 && strcmp(argv[1], "-o") == 0;
    if (argc != 2 + ops) {
        fprintf(stderr, "usage: bare_yaml [-o] SPEC.yaml\n");
        return 1;
    }
    const char *path = argv[1 + ops];
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "bare_yaml: out of memory\n");
        fclose(f);
        return 1;
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        fprintf(stderr, "bare_yaml: %s:%lu:%lu: %s %s\n", path,
                (unsigned long)parser.problem_mark.line + 1,
                (unsigned long)parser.problem_mark.column + 1,
                parser.problem ? parser.problem : "error",
                parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        fclose(f);
        return 1;
    }
    long n = ops ? count_ops(&doc) : (long)(doc.nodes.top - doc.nodes.start);
    printf("%ld\n", n);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return 0;
}
