// Records and settings as the API receives them: validation and coercion of each
// incoming item (docs/api.md, "Validation of each incoming item") and the stored JSON
// text (_ob) exactly as TimeTagger writes it.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tagwatch {

enum class Kind { records, settings };

inline constexpr size_t kMaxStringChars = 256;  // key and ds: fewer code points than this
inline constexpr size_t kMaxValueChars = 8192;  // setting value: fewer JSON characters than this

// An item that passed validation, its fields coerced.
struct ValidItem {
    std::string key;
    int64_t mt = 0;
    int64_t t1 = 0, t2 = 0;  // records only
    bool has_ds = false;     // records only
    std::string ds;
    std::string value_json;  // settings only: the value as Python's json.dumps writes it
};

struct Validation {
    bool ok = false;
    std::optional<std::string>
        key;            // nullopt: not an object with a string key (no entry in `failed`)
    std::string error;  // when !ok: what was wrong, naming the item and the field; for a string or
                        // a value over its limit TimeTagger's own text, word for word
    ValidItem item;     // when ok
};

// Validates one element of a PUT body. Never throws for bad input. The check
// against the user's reset time is left to the store, which knows that time.
Validation validate_item(Kind kind, const rapidjson::Value& v);

// The _ob text TimeTagger stores: records {"key", "mt", "t1", "t2", ["ds",] "st"},
// settings {"key", "mt", "value", "st"}.
std::string make_ob(Kind kind, const ValidItem& item, double st);

// How messages name an item: "Record abc" / "Setting abc" (long keys shortened).
std::string item_label(Kind kind, std::string_view key);

// Coerces a JSON value to an integer as TimeTagger's int() does within docs/api.md's
// rules: numbers truncated toward zero, strings of an optionally signed decimal
// integer; nullopt when not possible or outside int64.
std::optional<int64_t> coerce_int64(const rapidjson::Value& v);

}  // namespace tagwatch
