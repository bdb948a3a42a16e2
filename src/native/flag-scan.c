/*
 * The decide routes' concept-flag scanner (src/rejector/flag-scan.ts says when it is used).
 *
 * A decision request's concept flags are an object of up to hundreds of `"name": true|false`
 * members; JSON.parse spends most of a batch item's parsing time making those keys and objects
 * (bench/decide-http.ts: ~5 of ~7 µs per 1.3 KB item). This scanner reads each item's flags
 * object straight into a row of codes (0 not given, 1 false, 2 true), one column per concept of
 * a vocabulary, and copies the body with the object replaced by the row's number, for JSON.parse
 * to read the rest.
 *
 * It reads only what it is sure of and gives up (returns null, and the caller parses the body
 * as it is) on anything else: a flags object whose keys hold escapes or are `__proto__`, whose
 * values are not the literals true and false, a flags value that is neither an object nor null,
 * an item with its flags field twice or an escaped field, unbalanced brackets, a body it cannot
 * follow. So for every body it accepts, JSON.parse of its copy equals JSON.parse of the body
 * with each non-empty flags object replaced by its row (`{}` and null are left as they are), and
 * the row holds exactly what that object said of the vocabulary's concepts (the last of a
 * repeated key, as JSON.parse keeps). Keys outside the vocabulary are checked and skipped, as
 * the JavaScript path skips flags no rule reads. Validity of the rest is JSON.parse's to judge:
 * the copy changes no byte outside the flags objects, which are valid JSON themselves.
 *
 * Items are found by shape: the root object (a single request) or the objects in the array that
 * is the root object's `items` (a batch, `{"items": [...]}`; with `items` repeated, each).
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The codes fillFacts reads: FLAG_FALSE and FLAG_TRUE in src/core/rejection/concept-resolution.ts (0 is FLAG_NOT_GIVEN). */
#define CODE_FALSE 1
#define CODE_TRUE 2

/* A vocabulary: concept names (UTF-8) in column order, found by an open-addressing hash table. */
typedef struct {
  uint32_t count;
  uint32_t mask;
  int32_t *table; /* column of each slot, or -1 */
  uint32_t *hashes;
  uint32_t *lengths;
  char **names;
} vocabulary;

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t hash_bytes(const uint8_t *p, size_t n) {
  uint32_t h = FNV_BASIS; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * FNV_PRIME;
  return h;
}

/* Four bytes as one word (the compiler makes this one load). */
static inline uint32_t word(const uint8_t *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

/* Short names are compared inline: a libc memcmp call per flag was a third of the scan. */
static inline int same(const char *a, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((uint8_t)a[i] != b[i]) return 0;
  return 1;
}

static inline int32_t lookup(const vocabulary *v, const uint8_t *key, size_t n, uint32_t h) {
  for (uint32_t i = h & v->mask;; i = (i + 1) & v->mask) {
    int32_t c = v->table[i];
    if (c < 0) return -1;
    if (v->hashes[c] == h && v->lengths[c] == n && same(v->names[c], key, n)) return c;
  }
}

static void free_vocabulary(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  vocabulary *v = data;
  if (v == NULL) return;
  for (uint32_t i = 0; i < v->count; i++) free(v->names[i]);
  free(v->names);
  free(v->lengths);
  free(v->hashes);
  free(v->table);
  free(v);
}

#define CHECK(call)                                              \
  do {                                                           \
    if ((call) != napi_ok) {                                     \
      napi_throw_error(env, NULL, "flag scanner: " #call);      \
      return NULL;                                               \
    }                                                            \
  } while (0)

/* vocabulary(names: string[]): a handle for scan(). Names must be distinct (the caller's). */
static napi_value make_vocabulary(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t count;
  if (argc < 1 || napi_get_array_length(env, argv[0], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "vocabulary(names): names must be an array of strings");
    return NULL;
  }
  vocabulary *v = calloc(1, sizeof *v);
  uint32_t slots = 8;
  while (slots < count * 2) slots <<= 1;
  if (v != NULL) {
    v->mask = slots - 1;
    v->table = malloc(slots * sizeof *v->table);
    v->hashes = calloc(count + 1, sizeof *v->hashes);
    v->lengths = calloc(count + 1, sizeof *v->lengths);
    v->names = calloc(count + 1, sizeof *v->names);
  }
  if (v == NULL || v->table == NULL || v->hashes == NULL || v->lengths == NULL || v->names == NULL) {
    free_vocabulary(env, v, NULL);
    napi_throw_error(env, NULL, "vocabulary: out of memory");
    return NULL;
  }
  memset(v->table, 0xff, slots * sizeof *v->table);
  for (uint32_t c = 0; c < count; c++) {
    napi_value name;
    size_t n;
    if (napi_get_element(env, argv[0], c, &name) != napi_ok || napi_get_value_string_utf8(env, name, NULL, 0, &n) != napi_ok) {
      free_vocabulary(env, v, NULL);
      napi_throw_type_error(env, NULL, "vocabulary(names): names must be an array of strings");
      return NULL;
    }
    v->names[c] = malloc(n + 1);
    if (v->names[c] == NULL) {
      free_vocabulary(env, v, NULL);
      napi_throw_error(env, NULL, "vocabulary: out of memory");
      return NULL;
    }
    v->count = c + 1;
    napi_get_value_string_utf8(env, name, v->names[c], n + 1, &n);
    v->lengths[c] = (uint32_t)n;
    v->hashes[c] = hash_bytes((const uint8_t *)v->names[c], n);
    uint32_t i = v->hashes[c] & v->mask;
    while (v->table[i] >= 0) i = (i + 1) & v->mask;
    v->table[i] = (int32_t)c;
  }
  napi_value handle;
  if (napi_create_external(env, v, free_vocabulary, NULL, &handle) != napi_ok) {
    free_vocabulary(env, v, NULL);
    napi_throw_error(env, NULL, "vocabulary: cannot make the handle");
    return NULL;
  }
  return handle;
}

/* Growable bytes. */
typedef struct {
  uint8_t *p;
  size_t n, cap;
} bytes;

static int reserve(bytes *b, size_t more) {
  if (b->n + more <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->n + more) cap *= 2;
  uint8_t *p = realloc(b->p, cap);
  if (p == NULL) return 0;
  b->p = p;
  b->cap = cap;
  return 1;
}

static int append(bytes *b, const uint8_t *p, size_t n) {
  if (n == 0) return 1;
  if (!reserve(b, n)) return 0;
  memcpy(b->p + b->n, p, n);
  b->n += n;
  return 1;
}

static inline int is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static inline size_t skip_ws(const uint8_t *s, size_t i, size_t n) {
  while (i < n && is_ws(s[i])) i++;
  return i;
}

static inline int ends_value(uint8_t c) { return c == ',' || c == '}' || is_ws(c); }

static uint32_t TRUE_WORD, ALSE_WORD;

enum { BAIL = 0, EMPTY = 1, FLAGS = 2 };

/*
 * Reads the flags object at s[i] == '{' into `row` (width codes, zeroed by the caller); *end is
 * set past its closing brace. EMPTY for `{}` (left in the copy as it is), FLAGS otherwise.
 */
static int read_flags(const uint8_t *s, size_t i, size_t n, const vocabulary *v, uint8_t *row, size_t *end) {
  i = skip_ws(s, i + 1, n);
  if (i < n && s[i] == '}') {
    *end = i + 1;
    return EMPTY;
  }
  for (;;) {
    if (i >= n || s[i] != '"') return BAIL;
    size_t k = ++i;
    uint32_t h = FNV_BASIS;
    /* Escapes (JSON.parse would unescape them) and raw control characters (JSON.parse refuses them) are not read here. */
    for (; i < n && s[i] != '"'; i++) {
      if (s[i] == '\\' || s[i] < 0x20) return BAIL;
      h = (h ^ s[i]) * FNV_PRIME;
    }
    if (i >= n) return BAIL;
    size_t klen = i - k;
    if (klen == 9 && same("__proto__", s + k, 9)) return BAIL;
    i++;
    if (i < n && s[i] != ':') i = skip_ws(s, i, n);
    if (i >= n || s[i] != ':') return BAIL;
    i++;
    if (i < n && is_ws(s[i])) i = skip_ws(s, i, n);
    uint8_t code;
    if (i + 5 < n && word(s + i) == TRUE_WORD && ends_value(s[i + 4])) {
      code = CODE_TRUE;
      i += 4;
    } else if (i + 5 < n && s[i] == 'f' && word(s + i + 1) == ALSE_WORD && ends_value(s[i + 5])) {
      code = CODE_FALSE;
      i += 5;
    } else {
      return BAIL;
    }
    int32_t c = lookup(v, s + k, klen, h);
    if (c >= 0) row[c] = code;
    if (i < n && is_ws(s[i])) i = skip_ws(s, i, n);
    if (i >= n) return BAIL;
    if (s[i] == '}') {
      *end = i + 1;
      return FLAGS;
    }
    if (s[i] != ',') return BAIL;
    i++;
    if (i < n && is_ws(s[i])) i = skip_ws(s, i, n);
  }
}

/* x in decimal into d; its length. */
static size_t decimal(size_t x, uint8_t *d) {
  uint8_t tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (uint8_t)('0' + x % 10);
    x /= 10;
  } while (x > 0);
  for (size_t i = 0; i < n; i++) d[i] = tmp[n - 1 - i];
  return n;
}

enum { OBJECT = 1, ARRAY = 2 };
#define SHAPE_DEPTH 3

/*
 * scan(body: Buffer, vocabulary, batch: boolean, ascii: boolean, key: string, maxRows: number):
 * [text, codes: Uint8Array, rows] or null. `key` is the flags field's name ("concepts"), plain
 * ASCII. The text is Latin-1 when `ascii` (the caller checked the body), else UTF-8. Beyond
 * `maxRows` flags objects (more than a body may hold items) it gives up rather than grow.
 */
static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *s;
  size_t n;
  vocabulary *v;
  bool batch, ascii;
  char key[64];
  size_t key_len;
  uint32_t max_rows;
  if (argc < 6 || napi_get_buffer_info(env, argv[0], (void **)&s, &n) != napi_ok || napi_get_value_external(env, argv[1], (void **)&v) != napi_ok ||
      napi_get_value_bool(env, argv[2], &batch) != napi_ok || napi_get_value_bool(env, argv[3], &ascii) != napi_ok ||
      napi_get_value_string_utf8(env, argv[4], key, sizeof key, &key_len) != napi_ok || key_len == 0 || key_len >= sizeof key - 1 ||
      napi_get_value_uint32(env, argv[5], &max_rows) != napi_ok || v->count == 0) {
    napi_throw_type_error(env, NULL, "scan(body, vocabulary, batch, ascii, key, maxRows): wrong arguments");
    return NULL;
  }
  const size_t width = v->count;
  const int item_depth = batch ? 3 : 1;
  uint8_t shape[SHAPE_DEPTH + 1] = {0};
  size_t depth = 0;
  int expect_key = 0;
  int root_key_is_items = 0, in_items = 0, item_has_flags = 0;
  size_t copied = 0; /* s[copied..i) is yet to be copied */
  size_t rows = 0;
  bytes out = {0}, codes = {0};
  napi_value result = NULL;
  int ok = 1;

  for (size_t i = 0; i < n && ok;) {
    uint8_t c = s[i];
    switch (c) {
      case '{':
      case '[':
        depth++;
        if (depth <= SHAPE_DEPTH) shape[depth] = c == '{' ? OBJECT : ARRAY;
        /* A batch's items: the array that is the value of the root's `items` (the last root key read). */
        if (depth == 2) in_items = c == '[' && root_key_is_items;
        if (depth == (size_t)item_depth) item_has_flags = 0;
        expect_key = c == '{';
        i++;
        break;
      case '}':
      case ']':
        if (depth == 0) {
          ok = 0;
          break;
        }
        depth--;
        expect_key = 0;
        i++;
        break;
      case ',':
        expect_key = depth >= 1 && depth <= SHAPE_DEPTH && shape[depth] == OBJECT;
        i++;
        break;
      case '"': {
        size_t k = ++i;
        int escaped = 0;
        while (i < n && s[i] != '"') {
          if (s[i] == '\\') {
            escaped = 1;
            i++;
          }
          i++;
        }
        if (i >= n) {
          ok = 0;
          break;
        }
        size_t klen = i - k;
        i++;
        int root_key = expect_key && depth == 1 && shape[1] == OBJECT;
        int item_key = expect_key && depth == (size_t)item_depth && shape[1] == OBJECT && (!batch || (in_items && shape[3] == OBJECT));
        expect_key = 0;
        /*
         * An escaped item field could be the flags field spelled otherwise (conc\u0065pts), and an
         * escaped root field of a batch its items: left to JSON.parse.
         */
        if ((item_key || (batch && root_key)) && escaped) {
          ok = 0;
          break;
        }
        if (batch && root_key) root_key_is_items = klen == 5 && memcmp(s + k, "items", 5) == 0;
        if (!item_key || klen != key_len || memcmp(s + k, key, klen) != 0) break;
        /* One flags field per item: rows never outnumber items (JSON.parse would keep the last). */
        if (item_has_flags) {
          ok = 0;
          break;
        }
        item_has_flags = 1;
        size_t j = skip_ws(s, i, n);
        if (j >= n || s[j] != ':') {
          ok = 0;
          break;
        }
        j = skip_ws(s, j + 1, n);
        if (j < n && s[j] == 'n') break; /* null: no flags, as JSON.parse reads it */
        if (j >= n || s[j] != '{' || rows >= max_rows || !reserve(&codes, width)) {
          ok = 0;
          break;
        }
        uint8_t *row = codes.p + codes.n;
        memset(row, 0, width);
        size_t end = n;
        int got = read_flags(s, j, n, v, row, &end);
        /*
         * The flags object must end its value: were a digit, '.' or 'e' to follow (invalid JSON),
         * the row number would run into it and make a valid number of it.
         */
        size_t after = got == BAIL ? n : skip_ws(s, end, n);
        if (after >= n || (s[after] != ',' && s[after] != '}')) {
          ok = 0;
          break;
        }
        if (got == FLAGS) {
          uint8_t digits[24];
          size_t len = decimal(rows, digits);
          if (!append(&out, s + copied, j - copied) || !append(&out, digits, len)) {
            ok = 0;
            break;
          }
          codes.n += width;
          rows++;
          copied = end;
        }
        i = end;
        break;
      }
      default:
        i++;
    }
  }
  if (ok && depth == 0 && n > 0 && append(&out, s + copied, n - copied)) {
    napi_value text, buffer, array, count;
    void *data = NULL;
    size_t size = rows * width;
    if ((ascii ? napi_create_string_latin1(env, (const char *)out.p, out.n, &text) : napi_create_string_utf8(env, (const char *)out.p, out.n, &text)) == napi_ok &&
        napi_create_arraybuffer(env, size, &data, &buffer) == napi_ok && napi_create_typedarray(env, napi_uint8_array, size, buffer, 0, &array) == napi_ok &&
        napi_create_uint32(env, (uint32_t)rows, &count) == napi_ok && napi_create_array_with_length(env, 3, &result) == napi_ok) {
      if (size > 0) memcpy(data, codes.p, size);
      if (napi_set_element(env, result, 0, text) != napi_ok || napi_set_element(env, result, 1, array) != napi_ok ||
          napi_set_element(env, result, 2, count) != napi_ok) {
        result = NULL;
      }
    } else {
      result = NULL;
    }
  }
  free(out.p);
  free(codes.p);
  if (result == NULL) napi_get_null(env, &result);
  return result;
}

/* The interface's version: flag-scan.ts refuses an addon built from another (a stale build/). */
#define INTERFACE 2

NAPI_MODULE_INIT() {
  TRUE_WORD = word((const uint8_t *)"true");
  ALSE_WORD = word((const uint8_t *)"alse");
  napi_value fn, version;
  if (napi_create_uint32(env, INTERFACE, &version) != napi_ok || napi_set_named_property(env, exports, "interface", version) != napi_ok ||
      napi_create_function(env, "vocabulary", NAPI_AUTO_LENGTH, make_vocabulary, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "vocabulary", fn) != napi_ok ||
      napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "scan", fn) != napi_ok) {
    return NULL;
  }
  return exports;
}
