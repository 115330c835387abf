// Validation of incoming records and settings, and their stored JSON text.
#include "model/item.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "model/pyjson.hpp"
#include "util/utf8.hpp"

namespace tagwatch {

namespace {

// Python's json.loads keeps the last of repeated keys, so look up the last one.
const rapidjson::Value* member(const rapidjson::Value& obj, std::string_view name) {
    const rapidjson::Value* found = nullptr;
    for (const auto& m : obj.GetObject())
        if (std::string_view(m.name.GetString(), m.name.GetStringLength()) == name)
            found = &m.value;
    return found;
}

std::string_view sv(const rapidjson::Value& s) { return {s.GetString(), s.GetStringLength()}; }

// TimeTagger's own texts (sic: its value limit is 8192, not 256).
constexpr const char* kStringTooLong = "String values must be less than 256 chars.";
constexpr const char* kValueTooLong = "Values must be less than 256 chars when jsonized.";

}  // namespace

std::string item_label(Kind kind, std::string_view key) {
    std::string label = kind == Kind::records ? "Record " : "Setting ";
    if (key.empty()) return label + "with an empty key";
    constexpr size_t shown = 40;
    const size_t cut = utf8::prefix_bytes(key, shown);
    label += key.substr(0, cut);
    if (cut < key.size()) label += "...";
    return label;
}

std::optional<int64_t> coerce_int64(const rapidjson::Value& v) {
    if (v.IsInt64()) return v.GetInt64();
    if (v.IsUint64()) return std::nullopt;  // above INT64_MAX
    if (v.IsDouble()) {
        const double d = v.GetDouble();
        if (!std::isfinite(d)) return std::nullopt;
        const double t = std::trunc(d);
        // Inside (-2^63, 2^63) only. The parser holds a JSON integer beyond 64 bits as the
        // nearest double, and every integer from -2^63 - 1024 down rounds to exactly -2^63,
        // so a double of -2^63 cannot be told from one that was out of range: it fails too
        // (the integer -9223372036854775808 itself arrives as an int64, never as a double).
        if (t <= -9223372036854775808.0 || t >= 9223372036854775808.0) return std::nullopt;
        return static_cast<int64_t>(t);
    }
    if (v.IsString()) {
        std::string_view s = sv(v);
        bool negative = false;
        if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
            negative = s.front() == '-';
            s.remove_prefix(1);
        }
        if (s.empty()) return std::nullopt;
        for (char c : s)
            if (c < '0' || c > '9') return std::nullopt;
        // Parse the magnitude as unsigned so that "-9223372036854775808" fits.
        uint64_t mag = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), mag);
        if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
        if (negative) {
            if (mag > 9223372036854775808ULL) return std::nullopt;
            return static_cast<int64_t>(0 - mag);
        }
        if (mag > 9223372036854775807ULL) return std::nullopt;
        return static_cast<int64_t>(mag);
    }
    return std::nullopt;  // true, false, null, arrays, objects
}

Validation validate_item(Kind kind, const rapidjson::Value& v) {
    Validation res;
    if (!v.IsObject()) {
        res.error = "Got item that is not a dict with str 'key' field.";  // TimeTagger's text
        return res;
    }
    const auto* key = member(v, "key");
    if (!key || !key->IsString()) {
        res.error = "Got item that is not a dict with str 'key' field.";
        return res;
    }
    res.key = std::string(sv(*key));
    const std::string label = item_label(kind, *res.key);
    auto fail = [&](const std::string& what) {
        res.ok = false;
        res.error = label + ": " + what;
        return res;
    };
    auto fail_as_timetagger = [&](const char* text) {
        res.ok = false;
        res.error = text;
        return res;
    };

    if (res.key->empty()) return fail("key must not be empty");
    // TimeTagger's texts for its two limits, without our label, so a client shows the same.
    if (utf8::length(*res.key) >= kMaxStringChars) return fail_as_timetagger(kStringTooLong);
    res.item.key = *res.key;

    // Fields in TimeTagger's order (key, mt, t1, t2, ds; key, mt, value): a field that is
    // there but wrong fails the item at once; the missing ones are named together after.
    std::vector<std::string> missing;
    auto get_int = [&](const char* field, int64_t& out) -> std::optional<std::string> {
        const auto* f = member(v, field);
        if (!f) {
            missing.emplace_back(field);
            return std::nullopt;
        }
        const auto n = coerce_int64(*f);
        if (!n)
            return std::string(field) +
                   " must be an integer (a number, or a string of decimal digits) within 64 bits";
        out = *n;
        return std::nullopt;
    };

    if (auto e = get_int("mt", res.item.mt)) return fail(*e);
    if (kind == Kind::records) {
        if (auto e = get_int("t1", res.item.t1)) return fail(*e);
        if (auto e = get_int("t2", res.item.t2)) return fail(*e);
        if (const auto* ds = member(v, "ds")) {
            if (!ds->IsString()) return fail("ds must be a string");
            if (utf8::length(sv(*ds)) >= kMaxStringChars) return fail_as_timetagger(kStringTooLong);
            res.item.has_ds = true;
            res.item.ds = std::string(sv(*ds));
        }
    } else if (const auto* value = member(v, "value")) {
        if (json_has_non_finite(*value)) return fail("value must not contain NaN or Infinity");
        try {
            res.item.value_json = py_json_dumps(*value);
        } catch (const std::runtime_error&) {
            return fail("value is nested too deeply");
        }
        if (res.item.value_json.size() >= kMaxValueChars) return fail_as_timetagger(kValueTooLong);
    } else {
        missing.emplace_back("value");
    }
    if (!missing.empty()) {
        // TimeTagger's text, its set of names as Python prints it (sorted here: Python's
        // order of a set varies from process to process).
        std::sort(missing.begin(), missing.end());
        std::string names;
        for (const auto& m : missing) names += (names.empty() ? "{'" : ", '") + m + "'";
        res.error = std::string("A ") + (kind == Kind::records ? "records" : "settings") +
                    " is missing required fields: " + names + "}";
        return res;
    }
    res.ok = true;
    return res;
}

std::string make_ob(Kind kind, const ValidItem& item, double st) {
    std::string ob;
    ob.reserve(96 + item.key.size() + item.ds.size() + item.value_json.size());
    ob += "{\"key\": ";
    py_json_string(item.key, ob);
    ob += ", \"mt\": ";
    ob += std::to_string(item.mt);
    if (kind == Kind::records) {
        ob += ", \"t1\": ";
        ob += std::to_string(item.t1);
        ob += ", \"t2\": ";
        ob += std::to_string(item.t2);
        if (item.has_ds) {
            ob += ", \"ds\": ";
            py_json_string(item.ds, ob);
        }
    } else {
        ob += ", \"value\": ";
        ob += item.value_json;
    }
    ob += ", \"st\": ";
    ob += py_float_repr(st);
    ob += '}';
    return ob;
}

}  // namespace tagwatch
