// Python-json.dumps-compatible JSON writing, and the SAX re-writer used to
// re-stamp stored items without losing any of their digits.
#include "model/pyjson.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "util/text.hpp"
#include "util/utf8.hpp"

namespace tagwatch {

std::string py_float_repr(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";

    // Shortest round-trip digits in scientific form: [-]d[.ddd]e[+-]x
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
    std::string out;
    if (sci.front() == '-') {
        out += '-';
        sci.remove_prefix(1);
    }
    const size_t epos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, epos))
        if (c != '.') digits += c;
    int exp10 = 0;
    std::from_chars(sci.data() + epos + 1 + (sci[epos + 1] == '+'), sci.data() + sci.size(), exp10);
    const int decpt = exp10 + 1;  // value = 0.DIGITS * 10^decpt
    const int ndigits = static_cast<int>(digits.size());

    if (decpt > -4 && decpt <= 16) {  // CPython's float_repr_style 'short' rule
        if (decpt <= 0) {
            out += "0.";
            out.append(static_cast<size_t>(-decpt), '0');
            out += digits;
        } else if (decpt >= ndigits) {
            out += digits;
            out.append(static_cast<size_t>(decpt - ndigits), '0');
            out += ".0";
        } else {
            out.append(digits, 0, static_cast<size_t>(decpt));
            out += '.';
            out.append(digits, static_cast<size_t>(decpt));
        }
    } else {
        out += digits[0];
        if (ndigits > 1) {
            out += '.';
            out.append(digits, 1);
        }
        out += 'e';
        out += exp10 < 0 ? '-' : '+';
        const int a = exp10 < 0 ? -exp10 : exp10;
        if (a < 10) out += '0';
        out += std::to_string(a);
    }
    return out;
}

namespace {

void append_u_escape(uint32_t unit, std::string& out) {
    static const char hex[] = "0123456789abcdef";
    out += "\\u";
    out += hex[(unit >> 12) & 0xF];
    out += hex[(unit >> 8) & 0xF];
    out += hex[(unit >> 4) & 0xF];
    out += hex[unit & 0xF];
}

void append_int(int64_t v, std::string& out) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void append_uint(uint64_t v, std::string& out) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void dump(const rapidjson::Value& v, std::string& out, int depth) {
    if (depth > kMaxJsonDepth) throw std::runtime_error("JSON value is nested too deeply");
    switch (v.GetType()) {
        case rapidjson::kNullType:
            out += "null";
            return;
        case rapidjson::kFalseType:
            out += "false";
            return;
        case rapidjson::kTrueType:
            out += "true";
            return;
        case rapidjson::kNumberType:
            if (v.IsInt64())
                append_int(v.GetInt64(), out);
            else if (v.IsUint64())
                append_uint(v.GetUint64(), out);
            else
                out += py_float_repr(v.GetDouble());
            return;
        case rapidjson::kStringType:
            py_json_string(std::string_view(v.GetString(), v.GetStringLength()), out);
            return;
        case rapidjson::kArrayType: {
            out += '[';
            bool first = true;
            for (const auto& e : v.GetArray()) {
                if (!first) out += ", ";
                first = false;
                dump(e, out, depth + 1);
            }
            out += ']';
            return;
        }
        case rapidjson::kObjectType: {
            // Python's dict: a repeated key keeps its first position and its last value.
            const auto obj = v.GetObject();
            const size_t n = obj.MemberCount();
            auto name_of = [&](size_t i) {
                const auto& k = obj.begin()[i].name;
                return std::string_view(k.GetString(), k.GetStringLength());
            };
            std::unordered_map<std::string_view, size_t> last;  // only for big objects
            const bool big = n > 16;
            if (big)
                for (size_t i = 0; i < n; ++i) last[name_of(i)] = i;
            std::unordered_set<std::string_view> seen;
            out += '{';
            bool first = true;
            for (size_t i = 0; i < n; ++i) {
                const auto name = name_of(i);
                size_t use = i;
                if (big) {
                    if (!seen.insert(name).second) continue;
                    use = last[name];
                } else {
                    bool dup = false;
                    for (size_t j = 0; j < i && !dup; ++j) dup = name_of(j) == name;
                    if (dup) continue;
                    for (size_t j = i + 1; j < n; ++j)
                        if (name_of(j) == name) use = j;
                }
                if (!first) out += ", ";
                first = false;
                py_json_string(name, out);
                out += ": ";
                dump(obj.begin()[use].value, out, depth + 1);
            }
            out += '}';
            return;
        }
    }
}

// SAX handler that writes Python-style JSON while rapidjson reads the stored
// text with numbers as raw strings, replacing the root object's "st".
class RestampWriter {
  public:
    RestampWriter(std::string& out, double st) : out_(out), st_(st) {}

    bool Null() { return scalar("null"); }
    bool Bool(bool b) { return scalar(b ? "true" : "false"); }
    // Only reached for NaN/Infinity tokens, since numbers arrive as raw text.
    bool Int(int i) { return scalar(std::to_string(i)); }
    bool Uint(unsigned u) { return scalar(std::to_string(u)); }
    bool Int64(int64_t i) { return scalar(std::to_string(i)); }
    bool Uint64(uint64_t u) { return scalar(std::to_string(u)); }
    bool Double(double d) { return scalar(py_float_repr(d)); }
    bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
        std::string_view t(s, len);
        if (t.find_first_of("NI") != std::string_view::npos) {  // NaN, Inf, Infinity
            if (t.find('N') != std::string_view::npos && t.find('I') == std::string_view::npos)
                return scalar("NaN");
            return scalar(t.front() == '-' ? "-Infinity" : "Infinity");
        }
        if (t.find_first_of(".eE") == std::string_view::npos)  // a Python int: exact
            return scalar(t == "-0" ? std::string("0") : std::string(t));
        return scalar(py_float_repr(std::strtod(std::string(t).c_str(), nullptr)));
    }
    bool String(const char* s, rapidjson::SizeType len, bool) {
        if (skipping()) return after_skipped_value();
        before_value();
        py_json_string(std::string_view(s, len), out_);
        return true;
    }
    bool StartObject() { return start('{', true); }
    bool Key(const char* s, rapidjson::SizeType len, bool) {
        if (skip_depth_ > 0) return true;
        auto& f = stack_.back();
        std::string_view k(s, len);
        const bool root_st = stack_.size() == 1 && k == "st";
        if (root_st && st_written_) {  // a repeated root "st": Python keeps one
            skip_next_ = true;
            f.await_value = true;
            return true;
        }
        if (!f.first) out_ += ", ";
        f.first = false;
        py_json_string(k, out_);
        out_ += ": ";
        if (root_st) {
            out_ += py_float_repr(st_);
            st_written_ = true;
            skip_next_ = true;  // the original value is dropped
        }
        f.await_value = true;
        return true;
    }
    bool EndObject(rapidjson::SizeType) { return end('}'); }
    bool StartArray() { return start('[', false); }
    bool EndArray(rapidjson::SizeType) { return end(']'); }

    bool root_was_object() const { return root_object_; }

  private:
    struct Frame {
        bool object;
        bool first = true;
        bool await_value = false;
    };

    bool skipping() const { return skip_next_ || skip_depth_ > 0; }
    bool after_skipped_value() {
        if (skip_depth_ == 0) {
            skip_next_ = false;
            stack_.back().await_value = false;
        }
        return true;
    }
    void before_value() {
        if (stack_.empty()) return;
        auto& f = stack_.back();
        if (f.object) {
            f.await_value = false;
            return;
        }
        if (!f.first) out_ += ", ";
        f.first = false;
    }
    bool scalar(const std::string& text) {
        if (skipping()) return after_skipped_value();
        before_value();
        out_ += text;
        return true;
    }
    bool start(char c, bool object) {
        if (skipping()) {
            skip_next_ = false;
            ++skip_depth_;
            return true;
        }
        if (stack_.empty()) root_object_ = object;
        before_value();
        out_ += c;
        stack_.push_back(Frame{object});
        return true;
    }
    bool end(char c) {
        if (skip_depth_ > 0) {
            if (--skip_depth_ == 0) stack_.back().await_value = false;
            return true;
        }
        if (stack_.size() == 1 && c == '}' && !st_written_) {
            if (!stack_.back().first) out_ += ", ";
            out_ += "\"st\": " + py_float_repr(st_);
            st_written_ = true;
        }
        out_ += c;
        stack_.pop_back();
        return true;
    }

    std::string& out_;
    double st_;
    std::vector<Frame> stack_;
    bool skip_next_ = false;
    int skip_depth_ = 0;
    bool st_written_ = false;
    bool root_object_ = false;
};

}  // namespace

void py_json_string(std::string_view s, std::string& out) {
    out += '"';
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f) {  // printable ASCII, the common case
            if (c == '"')
                out += "\\\"";
            else if (c == '\\')
                out += "\\\\";
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        const uint32_t cp = utf8::next(s, i);
        switch (cp) {
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (cp >= 0x10000) {  // outside the BMP: a UTF-16 surrogate pair
                    const uint32_t u = cp - 0x10000;
                    append_u_escape(0xD800 | (u >> 10), out);
                    append_u_escape(0xDC00 | (u & 0x3FF), out);
                } else {
                    append_u_escape(cp, out);
                }
        }
    }
    out += '"';
}

void py_json_dump(const rapidjson::Value& v, std::string& out) { dump(v, out, 0); }

std::string py_json_dumps(const rapidjson::Value& v) {
    std::string out;
    dump(v, out, 0);
    return out;
}

size_t py_json_length(const rapidjson::Value& v) { return py_json_dumps(v).size(); }

bool json_has_non_finite(const rapidjson::Value& v) {
    // Iterative, since values may be nested deeply.
    std::vector<const rapidjson::Value*> todo{&v};
    while (!todo.empty()) {
        const auto* x = todo.back();
        todo.pop_back();
        if (x->IsDouble()) {
            if (!std::isfinite(x->GetDouble())) return true;
        } else if (x->IsArray()) {
            for (const auto& e : x->GetArray()) todo.push_back(&e);
        } else if (x->IsObject()) {
            for (const auto& m : x->GetObject()) todo.push_back(&m.value);
        }
    }
    return false;
}

namespace {

// Python reads a number literal beyond the double range (1e400) as infinity; rapidjson
// refuses the whole text. This copy of the text spells such literals as Infinity, which
// the parser accepts, so that only the item holding it fails. Strings are left alone.
std::string spell_out_of_range_numbers(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (c == '"') {
            size_t j = i + 1;
            while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
            j = std::min(j + 1, text.size());
            out.append(text.substr(i, j - i));
            i = j;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i + 1;
            while (j < text.size() &&
                   (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.' ||
                    text[j] == 'e' || text[j] == 'E' || text[j] == '+' || text[j] == '-'))
                ++j;
            std::string literal(text.substr(i, j - i));
            double value = std::strtod(literal.c_str(), nullptr);
            if (std::isinf(value))
                out += value < 0 ? "-Infinity" : "Infinity";
            else
                out += literal;
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

int hex4(std::string_view text, size_t at) {
    if (at + 4 > text.size()) return -1;
    int v = 0;
    for (size_t k = at; k < at + 4; ++k) {
        const int d = hex_digit(text[k]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

// A JavaScript string cut in the middle of an emoji holds half a surrogate pair, which
// JSON.stringify writes as a lone \ud83d. rapidjson refuses the whole text for a lone high
// half and stores a lone low half as bytes that are not UTF-8. Either way a client would
// retry the same batch for ever: so a lone half becomes U+FFFD, and only that character
// changes. Returns nullopt when the text has no lone half (the usual case).
std::optional<std::string> mend_lone_surrogates(std::string_view text) {
    std::string out;
    bool changed = false;
    size_t copied = 0;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '\\') continue;
        if (text[i + 1] != 'u') {
            ++i;  // any other escape, \\ included, is two characters
            continue;
        }
        int unit = hex4(text, i + 2);
        if (unit < 0xD800 || unit > 0xDFFF) {
            i += 5;
            continue;
        }
        bool paired = false;
        if (unit <= 0xDBFF && i + 7 < text.size() && text[i + 6] == '\\' && text[i + 7] == 'u') {
            int low = hex4(text, i + 8);
            paired = low >= 0xDC00 && low <= 0xDFFF;
        }
        if (paired) {
            i += 11;
            continue;
        }
        out.append(text.substr(copied, i - copied));
        out += "\\ufffd";
        copied = i + 6;
        i += 5;
        changed = true;
    }
    if (!changed) return std::nullopt;
    out.append(text.substr(copied));
    return out;
}

}  // namespace

bool parse_json(std::string_view text, rapidjson::Document& doc, std::string* error) {
    if (auto mended = mend_lone_surrogates(text)) return parse_json(*mended, doc, error);
    constexpr unsigned flags = rapidjson::kParseFullPrecisionFlag | rapidjson::kParseNanAndInfFlag |
                               rapidjson::kParseValidateEncodingFlag |
                               rapidjson::kParseIterativeFlag;
    doc.Parse<flags>(text.data(), text.size());
    if (doc.HasParseError() && doc.GetParseError() == rapidjson::kParseErrorNumberTooBig) {
        std::string spelled = spell_out_of_range_numbers(text);
        doc.Parse<flags>(spelled.data(), spelled.size());
    }
    if (!doc.HasParseError()) return true;
    if (error)
        *error = std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " (at offset " +
                 std::to_string(doc.GetErrorOffset()) + ")";
    return false;
}

std::string restamp_ob(std::string_view ob, double st) {
    std::string out;
    out.reserve(ob.size() + 8);
    RestampWriter writer(out, st);
    rapidjson::Reader reader;
    rapidjson::MemoryStream ms(ob.data(), ob.size());
    constexpr unsigned flags = rapidjson::kParseNumbersAsStringsFlag |
                               rapidjson::kParseNanAndInfFlag | rapidjson::kParseIterativeFlag;
    const auto res = reader.Parse<flags>(ms, writer);
    if (res.IsError() || !writer.root_was_object())
        throw std::runtime_error("stored item is not a JSON object: " +
                                 std::string(ob.substr(0, 80)));
    return out;
}

}  // namespace tagwatch
