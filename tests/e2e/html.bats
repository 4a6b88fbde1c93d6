#!/usr/bin/env bats
# html.bats - the HTML report of `actions test` (--format html, --report html=FILE):
# one self-contained page (no script, nothing loaded from elsewhere), every
# piece of outside text escaped, secrets masked, bodies capped, and rendered by
# a real browser (Debian's chromium, headless) that shows the failing actions,
# each of their schema errors, and the failing values highlighted.
load runner_helpers

HSPEC=$ROOT/tests/data/html/report.yaml

setup_file() {
    # The fixture serves GET /NAME from $FIXTURE_STATIC_DIR/NAME.json.
    export FIXTURE_STATIC_DIR=$BATS_FILE_TMPDIR/static
    mkdir -p "$FIXTURE_STATIC_DIR"
    cp "$ROOT"/tests/data/html/*.json "$FIXTURE_STATIC_DIR"/
    # Not JSON: markup that would close the <pre>, a script, control characters
    # (an escape sequence that clears a terminal), invalid UTF-8 (a lone byte,
    # an encoded surrogate) beside valid UTF-8, and a CRLF.
    printf '</pre><script>alert(2)</script>\001\033[2J \377\376 caf\303\251 \355\240\200 end\r\n' \
        >"$FIXTURE_STATIC_DIR/garbage.json"
    # 10 MB of JSON: capped in the report; 100 kB that pass: shown in part.
    "$PY" -c 'import json,sys; sys.stdout.write(json.dumps({"message": "y" * 100000}))' \
        >"$FIXTURE_STATIC_DIR/bigok.json"
    "$PY" -c 'import json,sys; sys.stdout.write(json.dumps({"message": 1, "pad": "x" * (10 << 20)}))' \
        >"$FIXTURE_STATIC_DIR/big10.json"
    start_server
}

teardown_file() { stop_server; }

setup() { runner_env; }

# The chromium binary, or skip.
need_chromium() {
    CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
    [ -n "$CHROMIUM" ] || skip "needs chromium: apt-get install chromium"
}

# chromium ARGS... URL: headless, no network of its own, a throwaway profile.
chromium_run() {
    local profile
    profile=$(mktemp -d "$BATS_TEST_TMPDIR/profile.XXXXXX")
    HOME=$BATS_TEST_TMPDIR timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$profile" "$@"
}

# self_contained FILE: the page is UTF-8, has no script, loads nothing, and uses
# only the elements and attributes the report writes (a hostile text that got
# through unescaped would add others).
self_contained() {
    iconv -f UTF-8 -t UTF-8 "$1" >/dev/null || { echo "not UTF-8: $1" >&2; return 1; }
    ! grep -qi '<script' "$1" || { echo "a <script> in $1" >&2; return 1; }
    ! grep -Eqi '(src|href|action|srcset|poster|data)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*([a-z]+:|//)' "$1" ||
        { echo "a link out of $1" >&2; return 1; }
    ! grep -Eqi '@import|url\(' "$1" || { echo "CSS loading something in $1" >&2; return 1; }
    "$PY" - "$1" <<'PY'
import html.parser, sys
ALLOWED = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "dl",
           "dt", "dd", "section", "div", "b", "span", "main", "details", "summary", "p", "ul",
           "li", "table", "tr", "th", "td", "pre", "mark", "a", "nav", "footer"}
VOID = {"meta"}
ATTRS = {"lang", "charset", "name", "content", "class", "id", "open", "href", "title", "style"}
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.doctype = [], [], False
    def handle_decl(self, d):
        self.doctype = d.lower() == "doctype html"
    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.errors.append("element <%s>" % tag)
        for k, v in attrs:
            if k not in ATTRS:
                self.errors.append("attribute %s on <%s>" % (k, tag))
            if k == "href" and not (v or "").startswith("#"):
                self.errors.append("link %r" % v)
            if k == "style" and tag != "span":
                self.errors.append("style on <%s>" % tag)
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
if not p.doctype:
    p.errors.append("no <!DOCTYPE html>")
if p.stack:
    p.errors.append("unclosed: " + " ".join(p.stack))
ids = __import__("re").findall(r'\bid="([^"]+)"', open(sys.argv[1], encoding="utf-8").read())
if len(ids) != len(set(ids)):
    p.errors.append("duplicate ids")
for e in p.errors[:20]:
    print(e, file=sys.stderr)
sys.exit(1 if p.errors else 0)
PY
}

@test "html: --format html of a failing run is one self-contained page, failed actions first" {
    run_split act test "$HSPEC" --all -d LOCAL --format html
    [ "$status" -eq 1 ]
    echo "$output" >"$BATS_TEST_TMPDIR/r.html"
    self_contained "$BATS_TEST_TMPDIR/r.html"
    [[ "$output" == "<!DOCTYPE html>"* ]]
    # The summary: counts, spec, destination.
    [[ "$output" == *'<b>10</b><span>actions</span>'* ]]
    [[ "$output" == *'<b>4</b><span>passed</span>'* ]]
    [[ "$output" == *'<b>6</b><span>failed</span>'* ]]
    [[ "$output" == *"Pet shop (HTML report fixture)"* ]]
    [[ "$output" == *"LOCAL"*"http://127.0.0.1:$PORT"* ]]
    # Failed actions come before the passed one, open; the passed one is folded.
    local failed passed
    failed=$(grep -n 'class="act fail"' <<<"$output" | head -n1 | cut -d: -f1)
    passed=$(grep -n 'class="act pass"' <<<"$output" | head -n1 | cut -d: -f1)
    [ -n "$failed" ] && [ -n "$passed" ] && [ "$failed" -lt "$passed" ]
    grep -q '<details class="act fail" id="a[0-9]*" open>' <<<"$output"
    grep -q '<details class="act pass" id="a[0-9]*">' <<<"$output"
    # An index of what failed, each linking to its action, with its first problem.
    [[ "$output" == *'<summary><h2>What failed (6)</h2></summary>'* ]]
    local id
    # (the <details> line, then its <summary> line naming the action)
    id=$(grep -A1 '<details class="act fail"' <<<"$output" | grep -B1 '>listPets<' |
        sed -n 's|.*id="\(a[0-9]*\)".*|\1|p')
    [ -n "$id" ]
    grep -q "<a class=\"mono\" href=\"#$id\">listPets</a> <span class=\"why\">/1/id: expected integer, got string" <<<"$output"
}

@test "html: the summary counts what --fail-fast did not run, and unreachable actions" {
    run_split act test "$HSPEC" --all -d LOCAL --fail-fast --format html
    [ "$status" -eq 1 ]
    echo "$output" >"$BATS_TEST_TMPDIR/ff.html"
    self_contained "$BATS_TEST_TMPDIR/ff.html"
    [[ "$output" == *'<b>1</b><span>failed</span>'* ]]
    [[ "$output" == *'<b>8</b><span>not run (--fail-fast)</span>'* ]]
    [[ "$output" == *'<h2>Not run (--fail-fast)</h2>'* ]]
    [ "$(grep -c '<span class="badge">NOT RUN</span>' <<<"$output")" -eq 8 ]
    run_split act test "$HSPEC" --all -d DEAD --format html
    [ "$status" -eq 3 ]
    echo "$output" >"$BATS_TEST_TMPDIR/dead.html"
    self_contained "$BATS_TEST_TMPDIR/dead.html"
    [[ "$output" == *'<b>10</b><span>unreachable</span>'* ]]
    [ "$(grep -c '<details class="act unreachable" id="a[0-9]*" open>' <<<"$output")" -eq 10 ]
    [[ "$output" == *"cannot connect to 127.0.0.1:$DEAD"* ]]
}

@test "html: each schema error has its pointer, message and schema location, linked to the marked value" {
    run_split act test "$HSPEC" listPets -d LOCAL --format html
    [ "$status" -eq 1 ]
    local page=$output e
    for e in '/1/id|expected integer, got string|#/components/schemas/Pet/properties/id/type' \
        '/2/status|expected one of &quot;available&quot;, &quot;pending&quot;, &quot;sold&quot;, got &quot;lost&quot;|#/components/schemas/Pet/properties/status/enum' \
        '/2/tags/1|expected string, got number|#/components/schemas/Pet/properties/tags/items/type' \
        '/2|expected property &quot;name&quot;, got nothing|#/components/schemas/Pet/required'; do
        IFS='|' read -r ptr msg loc <<<"$e"
        # The error's row links to the value; the value links back to the row.
        local row
        row=$(grep -F ">$ptr</a></td><td>$msg</td>" <<<"$page") || { echo "no row for $ptr" >&2; false; }
        [[ "$row" == *"$loc"* ]]
        local n
        n=$(sed -n 's|.*<tr id="\(a[0-9]*-e[0-9]*\)">.*|\1|p' <<<"$row")
        [ -n "$n" ]
        grep -q "href=\"#$n\"" <<<"$page"
        grep -q "href=\"#${n/-e/-v}\">$ptr</a>" <<<"$page"
        grep -q "<mark id=\"${n/-e/-v}\"" <<<"$page"
    done
    # Exactly the failing values are marked.
    grep -q '&quot;id&quot;: <mark id="a1-v1">&quot;two&quot;</mark>' <<<"$page"
    grep -q '<mark id="a1-v3">5</mark>' <<<"$page"
    [ "$(grep -o '<mark' <<<"$page" | wc -l)" -eq 4 ]
}

@test "html: chromium renders the failing actions, their errors and the marked values" {
    need_chromium
    run_split act test "$HSPEC" --all -d LOCAL --format html
    [ "$status" -eq 1 ]
    local page=$BATS_TEST_TMPDIR/report.html shot=$BATS_TEST_TMPDIR/report.png
    echo "$output" >"$page"
    chromium_run --dump-dom "file://$page" >"$BATS_TEST_TMPDIR/dom.html" 2>"$BATS_TEST_TMPDIR/chromium.err"
    local dom
    dom=$(cat "$BATS_TEST_TMPDIR/dom.html")
    [[ "$dom" == *"</html>"* ]] || { cat "$BATS_TEST_TMPDIR/chromium.err" >&2; false; }
    # The failing actions, and each of their schema errors (pointer and message).
    local a
    for a in listPets getHostile getGarbage getBig echoSecret getBasic; do
        grep -q "<span class=\"badge\">FAIL</span> <span class=\"verb mono\">GET</span> <span class=\"id mono\">$a</span>" \
            <<<"$dom" || { echo "$a not failed in the DOM" >&2; false; }
    done
    grep -q '<span class="badge">PASS</span> <span class="verb mono">GET</span> <span class="id mono">get.hello</span>' <<<"$dom"
    grep -q '>/1/id</a></td><td>expected integer, got string</td>' <<<"$dom"
    grep -q '>/2/status</a></td><td>expected one of "available", "pending", "sold", got "lost"</td>' <<<"$dom"
    grep -q '>/2/tags/1</a></td><td>expected string, got number</td>' <<<"$dom"
    grep -q '>/2</a></td><td>expected property "name", got nothing</td>' <<<"$dom"
    grep -q '>/count</a></td><td>expected integer, got string</td>' <<<"$dom"
    grep -q '>/message</td><td>expected string, got number</td>' <<<"$dom"
    grep -q 'response body is not valid JSON' <<<"$dom"
    # The highlighted values are in <mark>s, the hostile markup is text.
    grep -q '"id": <mark id="a[0-9]*-v1">"two"</mark>' <<<"$dom"
    grep -q '<mark id="a[0-9]*-v1">"&lt;b id=\\"x\\"&gt;7&lt;/b&gt;"</mark>' <<<"$dom"
    # Nothing the servers sent became an element: no script, no image, no outside link.
    ! grep -qi '<script' <<<"$dom"
    ! grep -qi '<img' <<<"$dom"
    ! grep -Eqi '(src|href)="?(https?:)?//' <<<"$dom"
    [[ "$dom" == *'&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;'* ]]
    # A screenshot: a real PNG of the window's size, not an empty page.
    chromium_run --screenshot="$shot" --window-size=1280,2000 "file://$page" 2>>"$BATS_TEST_TMPDIR/chromium.err"
    [ -s "$shot" ] || { cat "$BATS_TEST_TMPDIR/chromium.err" >&2; false; }
    [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
    [ "$(od -An -tu1 -j16 -N8 "$shot" | tr -s ' ' | sed 's/^ //')" = "0 0 5 0 0 0 7 208" ]
    [ "$(stat -c %s "$shot")" -gt 40000 ]
}

@test "html: a hostile body is escaped: no markup, control characters shown, invalid UTF-8 replaced" {
    run_split act test "$HSPEC" getGarbage -d LOCAL --format html
    [ "$status" -eq 1 ]
    echo "$output" >"$BATS_TEST_TMPDIR/g.html"
    self_contained "$BATS_TEST_TMPDIR/g.html"
    [[ "$output" == *'&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;<span class="ctl">\x01</span><span class="ctl">\x1b</span>[2J '$'\xef\xbf\xbd\xef\xbf\xbd'' café '$'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'' end'* ]]
    run_split act test "$HSPEC" getHostile -d LOCAL --format html
    [ "$status" -eq 1 ]
    echo "$output" >"$BATS_TEST_TMPDIR/h.html"
    self_contained "$BATS_TEST_TMPDIR/h.html"
    [[ "$output" == *'&quot;message&quot;: &quot;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;'* ]]
    [[ "$output" == *'&quot;ctl&quot;: &quot;\u001b[31mred\u0007 &amp; more&quot;'* ]]
}

@test "html: a 10 MB body is capped and says how much was cut; a passed one is cut shorter" {
    run_split act test "$HSPEC" getBig -d LOCAL --format html
    [ "$status" -eq 1 ]
    local size
    size=$(stat -c %s "$FIXTURE_STATIC_DIR/big10.json")
    [[ "$output" == *"$((size - 262144)) more bytes cut (the first 262144 shown)"* ]]
    [ "${#output}" -lt 400000 ]
    echo "$output" >"$BATS_TEST_TMPDIR/b.html"
    self_contained "$BATS_TEST_TMPDIR/b.html"
    # A passed action shows less: 32 KiB of its body.
    run_split act test "$HSPEC" getBigOk -d LOCAL --format html
    [ "$status" -eq 0 ]
    [[ "$output" == *"the pretty-printed body is cut after 32 KiB (100015 bytes received)"* ]]
    [ "${#output}" -lt 50000 ]
    echo "$output" >"$BATS_TEST_TMPDIR/ok.html"
    self_contained "$BATS_TEST_TMPDIR/ok.html"
}

@test "html: secrets (Basic password, a token in -H, a secret URL.headers value, a CSRF token and cookie) never appear" {
    local f=$BATS_TEST_TMPDIR
    run_split act test "$HSPEC" getBasic -d BASIC --format html
    echo "$output" >"$f/basic.html"
    [[ "$output" == *'<tr><td>Authorization</td><td>***</td></tr>'* ]]
    run_split act test "$HSPEC" echoSecret -d APIKEY --format html
    echo "$output" >"$f/apikey.html"
    [[ "$output" == *'<tr><td>X-API-Key</td><td>***</td></tr>'* ]]
    # The fixture echoes the headers it received as ["Name", "value"] pairs.
    [[ "$output" == *'[&quot;X-API-Key&quot;, &quot;***&quot;]'* ]]
    run_split act test "$HSPEC" echoSecret -d LOCAL -H "Authorization: Bearer ${PLANT_TOKEN_PREFIX}abc123" \
        -H "X-Session: ${PLANT_CLIENT_SECRET}" --format html
    echo "$output" >"$f/token.html"
    [[ "$output" == *'<tr><td>Authorization</td><td>***</td></tr>'* ]]
    [[ "$output" == *'[&quot;Authorization&quot;, &quot;***&quot;]'* ]]
    [[ "$output" == *'<tr><td>X-Session</td><td>***</td></tr>'* ]]
    # Response headers: a CSRF token and a session cookie.
    run_split act test "$HSPEC" getCsrf -d LOCAL -H "x-csrf-token: Fetch" --format html
    [ "$status" -eq 0 ]
    echo "$output" >"$f/csrf.html"
    [[ "$output" == *'<tr><td>x-csrf-token</td><td>***</td></tr>'* ]]
    [[ "$output" == *'<tr><td>Set-Cookie</td><td>***</td></tr>'* ]]
    ! grep -Eq 'csrf-[A-Z2-7]{8}|sess=' "$f/csrf.html"
    local p
    for p in basic apikey token csrf; do
        self_contained "$f/$p.html"
        no_secrets "$(cat "$f/$p.html")"
    done
}

@test "html: the request: method, URL, headers, and the JSON body pretty-printed with secret members masked" {
    run_split act test "$HSPEC" createPet -d LOCAL --format html
    [ "$status" -eq 0 ]
    [[ "$output" == *'<p class="mono line"><span class="verb">POST</span> http://127.0.0.1:'"$PORT"'/echo/pet</p>'* ]]
    [[ "$output" == *'<tr><td>Content-Type</td><td>application/json</td></tr>'* ]]
    [[ "$output" == *'<h3>Request body</h3>
<pre>{
  &quot;id&quot;: 7,
  &quot;name&quot;: &quot;Rex&quot;,
  &quot;tags&quot;: [&quot;dog&quot;, &quot;good&quot;],
  &quot;password&quot;: &quot;***&quot;
}</pre>'* ]]
    # A passed action is folded.
    grep -q '<details class="act pass" id="a1">' <<<"$output"
}

@test "html: --report html=FILE beside the text output, also from --jobs workers" {
    run_split act test "$HSPEC" --all -d LOCAL --jobs 2 --report html="$BATS_TEST_TMPDIR/out.html"
    [ "$status" -eq 1 ]
    [[ "$output" == *"FAIL listPets"* ]]
    local page
    page=$(cat "$BATS_TEST_TMPDIR/out.html")
    self_contained "$BATS_TEST_TMPDIR/out.html"
    [[ "$page" == *'>/2/tags/1</a></td><td>expected string, got number</td>'* ]]
    grep -q '<mark id="a[0-9]*-v3">5</mark>' <<<"$page"
}
