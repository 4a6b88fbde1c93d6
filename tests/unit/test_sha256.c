/*
 * test_sha256.c - common/act_sha256.h against the FIPS 180-4 / NIST example vectors.
 */
#include "unit.h"

#include "common/act_sha256.h"

static void check(const char *msg, const char *want)
{
    char hex[ACT_SHA256_HEX];
    assert_string_equal(act_sha256_hex(msg, strlen(msg), hex), want);
}

static void test_sha256_matches_the_nist_short_messages(void **state)
{
    (void)state;
    check("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
          "lmnopqrsmnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_sha256_of_a_million_a_in_uneven_pieces(void **state)
{
    (void)state;
    static char a[1100];
    memset(a, 'a', sizeof(a));
    struct act_sha256 s;
    unsigned char d[ACT_SHA256_LEN];
    act_sha256_init(&s);
    size_t done = 0, step = 1;
    while (done < 1000000) {
        size_t n = step < 1000000 - done ? step : 1000000 - done;
        act_sha256_update(&s, a, n);
        done += n;
        step = step % 997 + 63; /* pieces that straddle block boundaries */
    }
    act_sha256_final(&s, d);
    static const unsigned char want[ACT_SHA256_LEN] = {
        0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7,
        0xe2, 0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97,
        0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};
    assert_memory_equal(d, want, sizeof(want));
}

static void test_sha256_padding_edges(void **state)
{
    (void)state;
    /* 55, 56 and 64 bytes: the length fits in the block, just does not, and a full block */
    char m[65];
    memset(m, 'a', sizeof(m));
    char hex[ACT_SHA256_HEX];

    assert_string_equal(act_sha256_hex(m, 55, hex),
                        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    assert_string_equal(act_sha256_hex(m, 56, hex),
                        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    assert_string_equal(act_sha256_hex(m, 64, hex),
                        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_matches_the_nist_short_messages),
        cmocka_unit_test(test_sha256_of_a_million_a_in_uneven_pieces),
        cmocka_unit_test(test_sha256_padding_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
