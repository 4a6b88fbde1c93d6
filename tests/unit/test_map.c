/*
 * test_map.c - the hash index of common/act_map.h and ACT_GROW.
 */
#include "unit.h"

#include "common/act_buf.h"
#include "common/act_map.h"

static uint32_t find(const struct act_map *m, char **keys, const char *k)
{
    struct act_map_it it;
    for (uint32_t id = act_map_first(&it, m, act_hash_str(k)); id != ACT_MAP_NONE;
         id = act_map_next(&it))
        if (strcmp(keys[id], k) == 0)
            return id;
    return ACT_MAP_NONE;
}

static void test_many_keys_are_found_and_absent_ones_are_not(void **state)
{
    (void)state;
    enum { N = 20000 };
    char **keys = act_calloc(N, sizeof(*keys));
    struct act_map m;
    act_map_init(&m);
    assert_int_equal(find(&m, keys, "x"), ACT_MAP_NONE); /* empty map: no slots yet */
    for (uint32_t i = 0; i < N; i++) {
        char b[32];
        snprintf(b, sizeof(b), "key-%u", i);
        keys[i] = act_strdup(b);
        assert_int_equal(act_map_put(&m, act_hash_str(b), i), ACT_OK);
    }
    assert_int_equal(m.count, N);
    assert_true(m.count <= (m.mask + 1) / 2);
    for (uint32_t i = 0; i < N; i++)
        assert_int_equal(find(&m, keys, keys[i]), i);
    assert_int_equal(find(&m, keys, "key-20000"), ACT_MAP_NONE);
    assert_int_equal(find(&m, keys, ""), ACT_MAP_NONE);
    for (uint32_t i = 0; i < N; i++)
        act_free(keys[i]);
    act_free(keys);
    act_map_release(&m);
    assert_null(m.slot);
}

static void test_equal_hashes_are_all_visited_and_set_replaces(void **state)
{
    (void)state;
    struct act_map m;
    act_map_init(&m);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(act_map_put(&m, 7, i), ACT_OK);
    assert_int_equal(act_map_put(&m, 8, 1000), ACT_OK);
    struct act_map_it it;
    unsigned seen = 0, n = 0;
    for (uint32_t id = act_map_first(&it, &m, 7); id != ACT_MAP_NONE; id = act_map_next(&it)) {
        assert_true(id < 100);
        seen += id;
        n++;
        if (id == 42)
            act_map_it_set(&it, 4242);
    }
    assert_int_equal(n, 100);
    assert_int_equal(seen, 99 * 100 / 2);
    int found = 0;
    for (uint32_t id = act_map_first(&it, &m, 7); id != ACT_MAP_NONE; id = act_map_next(&it))
        found += id == 4242, assert_true(id != 42);
    assert_int_equal(found, 1);
    assert_int_equal(act_map_first(&it, &m, 8), 1000);
    assert_int_equal(act_map_first(&it, &m, 9), ACT_MAP_NONE);
    act_map_release(&m);
}

static void test_reserve_and_pointer_hash(void **state)
{
    (void)state;
    struct act_map m;
    act_map_init(&m);
    assert_int_equal(act_map_reserve(&m, 1000), ACT_OK);
    size_t slots = m.mask + 1;
    assert_true(slots >= 2000);
    int v[64];
    for (uint32_t i = 0; i < 64; i++)
        assert_int_equal(act_map_put(&m, act_map_hash_ptr(&v[i]), i), ACT_OK);
    assert_int_equal(m.mask + 1, slots); /* no growth within the reservation */
    struct act_map_it it;
    for (uint32_t i = 0; i < 64; i++) {
        uint32_t id = act_map_first(&it, &m, act_map_hash_ptr(&v[i]));
        while (id != ACT_MAP_NONE && id != i)
            id = act_map_next(&it);
        assert_int_equal(id, i);
    }
    act_map_release(&m);
}

static void test_out_of_memory_leaves_the_map_usable(void **state)
{
    (void)state;
    struct act_map m;
    act_map_init(&m);
    for (uint32_t i = 0; i < 8; i++)
        assert_int_equal(act_map_put(&m, i, i), ACT_OK);
    size_t slots = m.mask + 1;
    for (uint32_t i = 8; m.mask + 1 == slots; i++) {
        act_alloc_fail_after(1);
        enum act_status st = act_map_put(&m, i, i);
        act_alloc_fail_after(0);
        if (st) {
            assert_int_equal(st, ACT_ERR_NOMEM);
            break;
        }
    }
    struct act_map_it it;
    for (uint32_t i = 0; i < 8; i++)
        assert_int_equal(act_map_first(&it, &m, i), i);
    act_map_release(&m);
}

static void test_grow_doubles_from_first_and_keeps_contents(void **state)
{
    (void)state;
    long *v = NULL;
    size_t cap = 0;
    assert_int_equal(ACT_GROW(v, cap, 1, 8), ACT_OK);
    assert_int_equal(cap, 8);
    for (long i = 0; i < 8; i++)
        v[i] = i;
    assert_int_equal(ACT_GROW(v, cap, 8, 8), ACT_OK);
    assert_int_equal(cap, 8);
    assert_int_equal(ACT_GROW(v, cap, 9, 8), ACT_OK);
    assert_int_equal(cap, 16);
    assert_int_equal(ACT_GROW(v, cap, 100, 8), ACT_OK);
    assert_int_equal(cap, 128);
    for (long i = 0; i < 8; i++)
        assert_int_equal(v[i], i);
    act_alloc_fail_after(1);
    long *before = v;
    assert_int_equal(ACT_GROW(v, cap, 1000, 8), ACT_ERR_NOMEM);
    act_alloc_fail_after(0);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 128);
    assert_int_equal(ACT_GROW(v, cap, SIZE_MAX / 2, 8), ACT_ERR_NOMEM);
    act_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_keys_are_found_and_absent_ones_are_not),
        cmocka_unit_test(test_equal_hashes_are_all_visited_and_set_replaces),
        cmocka_unit_test(test_reserve_and_pointer_hash),
        cmocka_unit_test(test_out_of_memory_leaves_the_map_usable),
        cmocka_unit_test(test_grow_doubles_from_first_and_keeps_contents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
