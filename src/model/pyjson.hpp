// JSON text exactly as TimeTagger's Python writes it (json.dumps defaults:
// ", " and ": " separators, ensure_ascii \uXXXX escapes, float repr), so the
// items we store are byte-identical to the ones TimeTagger stores and its
// 8192-character rule for setting values is measured the same way.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace tagwatch {

// Python repr(float): shortest round-trip digits, fixed notation for
// 1e-4 <= |v| < 1e16 (with ".0" when integral), otherwise "1e+16" / "1.5e-07".
// Non-finite values come out as Python's json spelling (NaN, Infinity, -Infinity).
std::string py_float_repr(double v);

// Appends the JSON string literal of UTF-8 text `s` as Python escapes it.
void py_json_string(std::string_view s, std::string& out);

// Appends json.dumps(v). Integers (int64/uint64) as integers, doubles through
// py_float_repr; an object that repeats a key keeps the first position and the
// last value, as Python's dict does. Throws std::runtime_error past a nesting
// depth of kMaxJsonDepth (Python would hit its recursion limit there).
inline constexpr int kMaxJsonDepth = 512;
void py_json_dump(const rapidjson::Value& v, std::string& out);
std::string py_json_dumps(const rapidjson::Value& v);

// Length in characters (Python len()) of py_json_dumps(v); since the dump is
// pure ASCII this is its byte length.
size_t py_json_length(const rapidjson::Value& v);

// True when v holds a NaN or infinite number anywhere (such a value cannot be
// sent back as standard JSON, so items holding one are refused).
bool json_has_non_finite(const rapidjson::Value& v);

// Parses a request body the way the store expects (full-precision doubles,
// strict UTF-8, NaN/Infinity accepted so that they fail the one item rather than
// the whole request, iterative so deep nesting cannot overflow the stack).
// Returns false and sets *error (if given) on invalid JSON.
bool parse_json(std::string_view text, rapidjson::Document& doc, std::string* error = nullptr);

// Re-writes a stored item's JSON text with a new top-level "st" (kept at its
// position, appended at the end when missing), every other value as Python's
// json.loads + json.dumps would give it (integers of any size kept exactly).
// Throws std::runtime_error if `ob` is not a JSON object.
std::string restamp_ob(std::string_view ob, double st);

}  // namespace tagwatch
